#include "bench/lua_engine.h"

#include <re2/re2.h>

#include <cstdlib>
#include <lua.hpp>
#include <stdexcept>

#include "bench/native_support.h"

namespace {
// The profile set the host functions answer for (one LuaEngine runs at a time).
std::vector<std::unique_ptr<RE2>> gRegexes;
std::vector<std::string> gIds;
}  // namespace

extern "C" {
// Called from Lua through the FFI (the benchmark binary exports its symbols).
__attribute__((visibility("default"))) int daliz_bench_re_match(int profile, const char* s, size_t n) {
  return RE2::PartialMatch(re2::StringPiece(s, n), *gRegexes[static_cast<size_t>(profile)]) ? 1 : 0;
}
__attribute__((visibility("default"))) int daliz_bench_sampled(int profile, const char* id, size_t n, int64_t item,
                                                               uint32_t bp) {
  return daliz::bench::sampledHash(gIds[static_cast<size_t>(profile)], std::string_view(id, n), item, bp) ? 1 : 0;
}
}

namespace daliz::bench {

LuaEngine::LuaEngine() : L_(luaL_newstate()) {
  if (!L_) throw std::runtime_error("cannot create a Lua state");
  luaL_openlibs(L_);
  // The JIT is off by default: measured on these generated profiles (docs/performance.md),
  // LuaJIT's tracing JIT never beats its own interpreter here and, with default settings,
  // thrashes its trace cache (hundreds of short item loops and branchy straight-line code)
  // and runs tens to hundreds of times slower. DALIZ_BENCH_JITOPT=on turns it on with default
  // settings; any other value is a comma-separated list for jit.opt.start (which turns it on).
  luaL_dostring(L_,
                "local s = os.getenv('DALIZ_BENCH_JITOPT') or 'off'\n"
                "if s == 'off' then jit.off() elseif s ~= 'on' then\n"
                "local t = {}\nfor o in s:gmatch('[^,]+') do t[#t + 1] = o end\njit.opt.start(unpack(t)) end");
  // Diagnostics: DALIZ_BENCH_JITV=FILE logs trace events (jit.v), DALIZ_BENCH_JITP=FILE
  // writes LuaJIT's sampling profile (jit.p) when the engine is destroyed.
  if (const char* v = std::getenv("DALIZ_BENCH_JITV"))
    luaL_dostring(L_, ("require('jit.v').on('" + std::string(v) + "')").c_str());
  if (const char* p = std::getenv("DALIZ_BENCH_JITP"))
    luaL_dostring(L_, ("require('jit.p').start('Fl', '" + std::string(p) + "')").c_str());
  // The reference table: DALIZ_REF[origin][prefix * 100 + length] = tenge per kg.
  lua_newtable(L_);
  for (const auto& row : world().refRows) {
    std::string o = countryText(row.origin);
    lua_getfield(L_, -1, o.c_str());
    if (lua_isnil(L_, -1)) {
      lua_pop(L_, 1);
      lua_newtable(L_);
      lua_pushvalue(L_, -1);
      lua_setfield(L_, -3, o.c_str());
    }
    lua_pushnumber(L_, static_cast<double>(std::stoull(row.code)) * 100 + static_cast<double>(row.code.size()));
    lua_pushnumber(L_, static_cast<double>(row.cents) / 100);
    lua_rawset(L_, -3);
    lua_pop(L_, 1);
  }
  lua_setglobal(L_, "DALIZ_REF");
}

LuaEngine::~LuaEngine() {
  if (std::getenv("DALIZ_BENCH_JITP")) luaL_dostring(L_, "require('jit.p').stop()");
  lua_close(L_);
}

bool LuaEngine::load(const ProfileSet& set, std::string& error) {
  gRegexes.clear();
  gIds.clear();
  for (const auto& p : set.profiles) {
    gIds.push_back(p.id);
    gRegexes.push_back(p.kind == ProfileKind::Regex ? std::make_unique<RE2>(regexOf(p)) : nullptr);
  }
  std::string chunk = toLua(set);
  if (luaL_loadbuffer(L_, chunk.data(), chunk.size(), "profiles") != 0 || lua_pcall(L_, 0, 0, 0) != 0) {
    error = lua_tostring(L_, -1);
    lua_pop(L_, 1);
    return false;
  }
  lua_getglobal(L_, "evaluate");
  evaluateRef_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  lua_getglobal(L_, "run_all");
  runAllRef_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  lua_newtable(L_);
  hitsRef_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  return true;
}

void LuaEngine::convert(const std::vector<Declaration>& decls) {
  lua_createtable(L_, static_cast<int>(decls.size()), 0);
  for (size_t j = 0; j < decls.size(); ++j) {
    const Declaration& d = decls[j];
    lua_createtable(L_, 0, 8);
    lua_pushlstring(L_, d.id.data(), d.id.size());
    lua_setfield(L_, -2, "id");
    lua_pushnumber(L_, d.registered);
    lua_setfield(L_, -2, "registered");
    if (d.declarant.category >= 0) {
      lua_pushnumber(L_, d.declarant.category);
      lua_setfield(L_, -2, "category");
    }
    lua_pushstring(L_, d.procedure.c_str());
    lua_setfield(L_, -2, "procedure");
    lua_pushstring(L_, d.borderMode.c_str());
    lua_setfield(L_, -2, "mode");
    lua_pushstring(L_, countryText(d.dispatch).c_str());
    lua_setfield(L_, -2, "dispatch");
    lua_pushnumber(L_, static_cast<double>(d.totalCents));
    lua_setfield(L_, -2, "total_c");
    lua_createtable(L_, static_cast<int>(d.items.size()), 0);
    for (size_t k = 0; k < d.items.size(); ++k) {
      const Item& it = d.items[k];
      lua_createtable(L_, 0, 8);
      lua_pushnumber(L_, it.no);
      lua_setfield(L_, -2, "no");
      lua_pushnumber(L_, static_cast<double>(it.hs));
      lua_setfield(L_, -2, "hs");
      lua_pushstring(L_, countryText(it.origin).c_str());
      lua_setfield(L_, -2, "origin");
      lua_pushlstring(L_, it.description.data(), it.description.size());
      lua_setfield(L_, -2, "desc");
      lua_pushnumber(L_, it.customs);
      lua_setfield(L_, -2, "cv");
      lua_pushnumber(L_, it.net);
      lua_setfield(L_, -2, "nw");
      lua_pushnumber(L_, static_cast<double>(it.netG));
      lua_setfield(L_, -2, "ng");
      lua_pushnumber(L_, static_cast<double>(it.grossG));
      lua_setfield(L_, -2, "gg");
      lua_rawseti(L_, -2, static_cast<int>(k + 1));
    }
    lua_setfield(L_, -2, "items");
    lua_rawseti(L_, -2, static_cast<int>(j + 1));
  }
  if (declsRef_ >= 0) luaL_unref(L_, LUA_REGISTRYINDEX, declsRef_);
  declsRef_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  lua_gc(L_, LUA_GCCOLLECT, 0);
}

size_t LuaEngine::evaluate(size_t index, std::vector<uint32_t>* hits) {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, evaluateRef_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, declsRef_);
  lua_rawgeti(L_, -1, static_cast<int>(index + 1));
  lua_remove(L_, -2);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, hitsRef_);
  if (lua_pcall(L_, 2, 1, 0) != 0) throw std::runtime_error(std::string("lua: ") + lua_tostring(L_, -1));
  size_t n = static_cast<size_t>(lua_tointeger(L_, -1));
  lua_pop(L_, 1);
  if (hits) {
    hits->clear();
    lua_rawgeti(L_, LUA_REGISTRYINDEX, hitsRef_);
    for (size_t k = 1; k <= n; ++k) {
      lua_rawgeti(L_, -1, static_cast<int>(k));
      hits->push_back(static_cast<uint32_t>(lua_tointeger(L_, -1)));
      lua_pop(L_, 1);
    }
    lua_pop(L_, 1);
  }
  return n;
}

size_t LuaEngine::runAll() {
  lua_rawgeti(L_, LUA_REGISTRYINDEX, runAllRef_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, declsRef_);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, hitsRef_);
  if (lua_pcall(L_, 2, 1, 0) != 0) throw std::runtime_error(std::string("lua: ") + lua_tostring(L_, -1));
  size_t n = static_cast<size_t>(lua_tointeger(L_, -1));
  lua_pop(L_, 1);
  return n;
}

size_t LuaEngine::memoryKb() const { return static_cast<size_t>(lua_gc(L_, LUA_GCCOUNT, 0)); }

}  // namespace daliz::bench
