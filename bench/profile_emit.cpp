// The three renderings of one profile description: daliz source, native C++ and Lua.
#include <cstdio>
#include <string>

#include "bench/profile_generator.h"
#include "bench/workload.h"

namespace daliz::bench {
namespace {

const char* const kLevels[] = {"low", "medium", "high"};
const char* const kCategories[] = {"low", "medium", "high"};

std::string digits(uint32_t v, int length) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*u", length, v);
  return buf;
}

uint64_t pow10(int n) {
  uint64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// The 10-digit codes an element covers: [lo, hi].
std::pair<uint64_t, uint64_t> bounds(const HsElement& e) {
  uint64_t scale = pow10(10 - e.length);
  return {e.low * scale, (static_cast<uint64_t>(e.high) + 1) * scale - 1};
}

// A fixed-point number (scale 3 or 2) as a decimal literal: 1200, 0.35, 12.5.
std::string decimalText(int64_t v, int scale) {
  int64_t p = static_cast<int64_t>(pow10(scale));
  std::string s = std::to_string(v / p);
  int64_t frac = v % p;
  if (frac) {
    std::string f = digits(static_cast<uint32_t>(frac), scale);
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

std::string percentText(uint32_t bp) { return decimalText(bp, 2) + "%"; }

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string name(const char* prefix, const ProfileDescription& p) {
  return std::string(prefix) + "_" + p.id.substr(6);
}

// ---- daliz ---------------------------------------------------------------------------------
std::string hsSetText(const std::vector<HsElement>& S) {
  std::string out = "{ ";
  for (size_t k = 0; k < S.size(); ++k) {
    if (k) out += ", ";
    const HsElement& e = S[k];
    out += '"' + digits(e.low, e.length) + '"';
    if (e.high != e.low) out += "..\"" + digits(e.high, e.length) + '"';
  }
  return out + " }";
}

std::string countrySetText(const std::vector<uint16_t>& O) {
  std::string out = "{ ";
  for (size_t k = 0; k < O.size(); ++k) out += (k ? ", \"" : "\"") + countryText(O[k]) + '"';
  return out + " }";
}

std::string dalizProfile(const ProfileDescription& p, std::string& sets) {
  std::string hs = hsSetText(p.hs), origins = countrySetText(p.origins);
  if (p.namedHs) {
    sets += "set " + name("HS", p) + ": set<hs> = " + hs + "\n";
    hs = name("HS", p);
  }
  if (p.namedOrigins) {
    sets += "set " + name("ORIGINS", p) + ": set<country> = " + origins + "\n";
    origins = name("ORIGINS", p);
  }
  std::string out = "profile \"" + p.id + "\" {\n";
  out += std::string("  title  \"") + kindName(p.kind) + " profile " + p.id.substr(6) + "\"\n";
  out += std::string("  area   \"") + (p.kind == ProfileKind::Value ? "customs value" : p.itemScope ? "goods" : "declaration") + "\"\n";
  out += std::string("  level  ") + kLevels[p.level] + "\n";
  out += "  valid  " + dateText(p.validFrom) + " .. " + dateText(p.validTo) + "\n";
  if (p.suspended) out += "  status suspended\n";
  if (p.itemScope) out += "  scope  item i\n";
  if (p.sampleBp < 10000) out += "  sample " + percentText(p.sampleBp) + "\n";
  std::string when, reason;
  switch (p.kind) {
    case ProfileKind::HsOrigin:
      when = "i.hs_code in " + hs + " and i.origin in " + origins;
      if (p.netAboveG >= 0) when += " and i.net_weight > " + decimalText(p.netAboveG, 3);
      reason = "item {i.no}: {i.hs_code} from {i.origin}, net {i.net_weight} kg";
      break;
    case ProfileKind::Value:
      out += "  let up = i.customs_value / i.net_weight\n  let refp = REFERENCE_PRICE[i.hs_code, i.origin]\n";
      when = "i.hs_code in " + hs;
      if (!p.origins.empty()) when += " and i.origin in " + origins;
      when += " and up < refp * " + std::to_string(p.pct) + "%";
      reason = "item {i.no} ({i.hs_code}, {i.origin}): {up} per kg against a reference price of {refp}";
      break;
    case ProfileKind::Regex:
      when = "i.hs_code in " + hs;
      if (p.netAboveG >= 0) when += " and i.net_weight > " + decimalText(p.netAboveG, 3);
      when += " and i.description.matches(" + quoted(regexOf(p)) + ")";
      reason = "item {i.no}: description of {i.hs_code} needs a look";
      break;
    case ProfileKind::Participant:
      when = std::string("(declaration.declarant.category ?? high) >= ") + kCategories[p.minCategory] +
             " and declaration.procedure == \"" + p.procedure + "\"";
      if (!p.borderMode.empty()) when += " and declaration.border_transport_mode == \"" + p.borderMode + "\"";
      if (!p.dispatch.empty()) when += " and declaration.dispatch_country in " + countrySetText(p.dispatch);
      if (p.totalAboveCents >= 0) when += " and declaration.total_customs_value > " + decimalText(p.totalAboveCents, 2);
      reason = "declarant category {declaration.declarant.category}, total {declaration.total_customs_value}";
      break;
    case ProfileKind::Count:
      when = "count(x in declaration.items: x.hs_code in " + hs + ") >= " + std::to_string(p.countAtLeast);
      reason = "declaration {declaration.id}: {len(declaration.items)} goods items";
      break;
    case ProfileKind::Any:
      when = "declaration.border_transport_mode == \"" + p.borderMode + "\" and any(x in declaration.items: x.hs_code in " +
             hs + " and x.origin in " + origins + ")";
      reason = "declaration {declaration.id} by mode {declaration.border_transport_mode}";
      break;
    case ProfileKind::HeavyCheap:
      when = "declaration.total_customs_value < " + decimalText(p.totalBelowCents, 2) +
             " and sum(x in declaration.items: x.gross_weight) > " + decimalText(p.grossSumAboveG, 3);
      reason = "gross weight {sum(x in declaration.items: x.gross_weight)} kg for {declaration.total_customs_value}";
      break;
    case ProfileKind::Sample:
      when = "declaration.procedure == \"" + p.procedure + "\" and any(x in declaration.items: x.hs_code in " + hs + ")";
      reason = "random selection of {declaration.id}";
      break;
  }
  out += "  when   " + when + "\n  measures ";
  for (size_t k = 0; k < p.measures.size(); ++k) out += (k ? ", " : "") + p.measures[k];
  out += "\n  reason \"" + reason + "\"\n}\n";
  return out;
}

// ---- C++ -----------------------------------------------------------------------------------
std::string cppHs(const std::vector<HsElement>& S, const std::string& h) {
  std::string out = "(";
  for (size_t k = 0; k < S.size(); ++k) {
    auto [lo, hi] = bounds(S[k]);
    out += (k ? " || " : "") + std::string("(") + h + " >= " + std::to_string(lo) + "ULL && " + h + " <= " +
           std::to_string(hi) + "ULL)";
  }
  return out + ")";
}

std::string cppCountries(const std::vector<uint16_t>& O, const std::string& o) {
  std::string out = "(";
  char buf[48];
  for (size_t k = 0; k < O.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%s%s == 0x%04X", k ? " || " : "", o.c_str(), O[k]);
    out += buf;
  }
  return out + ")";
}

std::string cppSampled(const ProfileDescription& p, const char* no) {
  if (p.sampleBp >= 10000) return "";
  return " && nativeSampled(\"" + p.id + "\", d.id, " + no + ", " + std::to_string(p.sampleBp) + ")";
}

std::string cppValid(const ProfileDescription& p) {
  return "reg >= " + std::to_string(p.validFrom) + " && reg <= " + std::to_string(p.validTo);
}

std::string cppProfile(const ProfileDescription& p) {
  std::string hit = "hits.add(" + std::to_string(p.index) + (p.itemScope ? ", i.no);" : ", 0);");
  std::string v = cppValid(p);
  switch (p.kind) {
    case ProfileKind::HsOrigin:
      return "  if (" + v + " && " + cppHs(p.hs, "h") + " && " + cppCountries(p.origins, "o") +
             (p.netAboveG >= 0 ? " && i.netG > " + std::to_string(p.netAboveG) : "") + cppSampled(p, "i.no") + ") " + hit + "\n";
    case ProfileKind::Value:
      return "  if (" + v + " && " + cppHs(p.hs, "h") + (p.origins.empty() ? "" : " && " + cppCountries(p.origins, "o")) +
             ") {\n    const double r = nativeRefPrice(h, o);\n    if (r >= 0 && i.customs / i.net < r * (" +
             std::to_string(p.pct) + " / 100.0)" + cppSampled(p, "i.no") + ") " + hit + "\n  }\n";
    case ProfileKind::Regex:
      return "  if (" + v + " && " + cppHs(p.hs, "h") + (p.netAboveG >= 0 ? " && i.netG > " + std::to_string(p.netAboveG) : "") +
             " && RE2::PartialMatch(i.description, re_" + std::to_string(p.index) + ")" + cppSampled(p, "i.no") + ") " + hit + "\n";
    case ProfileKind::Participant: {
      std::string c = "  if (" + v + " && (d.declarant.category < 0 ? 2 : d.declarant.category) >= " +
                      std::to_string(p.minCategory) + " && d.procedure == \"" + p.procedure + "\"";
      if (!p.borderMode.empty()) c += " && d.borderMode == \"" + p.borderMode + "\"";
      if (!p.dispatch.empty()) c += " && " + cppCountries(p.dispatch, "d.dispatch");
      if (p.totalAboveCents >= 0) c += " && d.totalCents > " + std::to_string(p.totalAboveCents);
      return c + cppSampled(p, "0") + ") " + hit + "\n";
    }
    case ProfileKind::Count:
      return "  if (" + v + ") {\n    int n = 0;\n    for (const Item& x : d.items)\n      if (" + cppHs(p.hs, "x.hs") +
             ") ++n;\n    if (n >= " + std::to_string(p.countAtLeast) + cppSampled(p, "0") + ") " + hit + "\n  }\n";
    case ProfileKind::Any:
      return "  if (" + v + " && d.borderMode == \"" + p.borderMode +
             "\") {\n    bool any = false;\n    for (const Item& x : d.items)\n      if (" + cppHs(p.hs, "x.hs") + " && " +
             cppCountries(p.origins, "x.origin") + ") {\n        any = true;\n        break;\n      }\n    if (any" +
             cppSampled(p, "0") + ") " + hit + "\n  }\n";
    case ProfileKind::HeavyCheap:
      return "  if (" + v + " && d.totalCents < " + std::to_string(p.totalBelowCents) +
             ") {\n    int64_t g = 0;\n    for (const Item& x : d.items) g += x.grossG;\n    if (g > " +
             std::to_string(p.grossSumAboveG) + cppSampled(p, "0") + ") " + hit + "\n  }\n";
    case ProfileKind::Sample:
      return "  if (" + v + " && d.procedure == \"" + p.procedure +
             "\") {\n    bool any = false;\n    for (const Item& x : d.items)\n      if (" + cppHs(p.hs, "x.hs") +
             ") {\n        any = true;\n        break;\n      }\n    if (any" + cppSampled(p, "0") + ") " + hit + "\n  }\n";
  }
  return "";
}

// ---- Lua -----------------------------------------------------------------------------------
std::string luaHs(const std::vector<HsElement>& S, const std::string& h) {
  std::string out = "(";
  for (size_t k = 0; k < S.size(); ++k) {
    auto [lo, hi] = bounds(S[k]);
    out += (k ? " or " : "") + std::string("(") + h + " >= " + std::to_string(lo) + " and " + h + " <= " +
           std::to_string(hi) + ")";
  }
  return out + ")";
}

std::string luaCountries(const std::vector<uint16_t>& O, const std::string& o) {
  std::string out = "(";
  for (size_t k = 0; k < O.size(); ++k) out += (k ? " or " : "") + o + " == \"" + countryText(O[k]) + "\"";
  return out + ")";
}

std::string luaSampled(const ProfileDescription& p, const char* no) {
  if (p.sampleBp >= 10000) return "";
  return " and sampled(" + std::to_string(p.index) + ", d.id, " + no + ", " + std::to_string(p.sampleBp) + ")";
}

std::string luaProfile(const ProfileDescription& p) {
  std::string code = std::to_string(static_cast<uint64_t>(p.index) * 1024);
  std::string hit = p.itemScope ? "n = n + 1; H[n] = " + code + " + i.no" : "n = n + 1; H[n] = " + code;
  std::string v = "reg >= " + std::to_string(p.validFrom) + " and reg <= " + std::to_string(p.validTo);
  switch (p.kind) {
    case ProfileKind::HsOrigin:
      return "  if " + v + " and " + luaHs(p.hs, "h") + " and " + luaCountries(p.origins, "o") +
             (p.netAboveG >= 0 ? " and i.ng > " + std::to_string(p.netAboveG) : "") + luaSampled(p, "i.no") + " then " + hit + " end\n";
    case ProfileKind::Value:
      return "  if " + v + " and " + luaHs(p.hs, "h") + (p.origins.empty() ? "" : " and " + luaCountries(p.origins, "o")) +
             " then\n    local r = ref_price(h, o)\n    if r and i.cv / i.nw < r * (" + std::to_string(p.pct) + " / 100)" +
             luaSampled(p, "i.no") + " then " + hit + " end\n  end\n";
    case ProfileKind::Regex:
      return "  if " + v + " and " + luaHs(p.hs, "h") + (p.netAboveG >= 0 ? " and i.ng > " + std::to_string(p.netAboveG) : "") +
             " and re_match(" + std::to_string(p.index) + ", i.desc)" + luaSampled(p, "i.no") + " then " + hit + " end\n";
    case ProfileKind::Participant: {
      std::string c = "  if " + v + " and (d.category or 2) >= " + std::to_string(p.minCategory) + " and d.procedure == \"" +
                      p.procedure + "\"";
      if (!p.borderMode.empty()) c += " and d.mode == \"" + p.borderMode + "\"";
      if (!p.dispatch.empty()) c += " and " + luaCountries(p.dispatch, "d.dispatch");
      if (p.totalAboveCents >= 0) c += " and d.total_c > " + std::to_string(p.totalAboveCents);
      return c + luaSampled(p, "0") + " then " + hit + " end\n";
    }
    case ProfileKind::Count:
      return "  if " + v + " then\n    local c = 0\n    for k = 1, #items do\n      local x = items[k].hs\n      if " +
             luaHs(p.hs, "x") + " then c = c + 1 end\n    end\n    if c >= " + std::to_string(p.countAtLeast) +
             luaSampled(p, "0") + " then " + hit + " end\n  end\n";
    case ProfileKind::Any:
      return "  if " + v + " and d.mode == \"" + p.borderMode +
             "\" then\n    local any = false\n    for k = 1, #items do\n      local x = items[k]\n      local xh = x.hs\n      if " +
             luaHs(p.hs, "xh") + " and " + luaCountries(p.origins, "x.origin") +
             " then any = true; break end\n    end\n    if any" + luaSampled(p, "0") + " then " + hit + " end\n  end\n";
    case ProfileKind::HeavyCheap:
      return "  if " + v + " and d.total_c < " + std::to_string(p.totalBelowCents) +
             " then\n    local g = 0\n    for k = 1, #items do g = g + items[k].gg end\n    if g > " +
             std::to_string(p.grossSumAboveG) + luaSampled(p, "0") + " then " + hit + " end\n  end\n";
    case ProfileKind::Sample:
      return "  if " + v + " and d.procedure == \"" + p.procedure +
             "\" then\n    local any = false\n    for k = 1, #items do\n      local x = items[k].hs\n      if " +
             luaHs(p.hs, "x") + " then any = true; break end\n    end\n    if any" + luaSampled(p, "0") + " then " + hit +
             " end\n  end\n";
  }
  return "";
}

constexpr size_t kGroup = 100;  // profiles per generated function

}  // namespace

std::string toDaliz(const ProfileSet& set, const std::string& tableFile) {
  std::string out = "// Generated by the daliz benchmark (bench/profile_generator.cpp): " + std::to_string(set.size) +
                    " profiles, seed " + std::to_string(set.seed) + ".\n";
  out += "table REFERENCE_PRICE(code: hs, origin: country) -> money from \"" + tableFile + "\"\n\n";
  std::string sets, profiles;
  for (const auto& p : set.profiles) profiles += dalizProfile(p, sets) + "\n";
  return out + sets + "\n" + profiles;
}

std::string toCpp(const ProfileSet& set, const std::string& ns) {
  char fp[32];
  std::snprintf(fp, sizeof fp, "0x%016llxULL", static_cast<unsigned long long>(set.fingerprint));
  std::string out = "// Generated by daliz_bench_codegen from makeProfileSet(" + std::to_string(set.size) + ", " +
                    std::to_string(set.seed) + "): the native baseline. Do not edit.\n"
                    "#include <re2/re2.h>\n\n#include \"bench/native_support.h\"\n\nnamespace daliz::bench::" + ns +
                    " {\n\nextern const uint64_t kFingerprint;\nconst uint64_t kFingerprint = " + fp + ";\n\nnamespace {\n\n";
  for (const auto& p : set.profiles)
    if (p.kind == ProfileKind::Regex && !p.suspended)
      out += "const RE2 re_" + std::to_string(p.index) + "(R\"re(" + regexOf(p) + ")re\");\n";
  std::vector<const ProfileDescription*> decl, item;
  for (const auto& p : set.profiles)
    if (!p.suspended) (p.itemScope ? item : decl).push_back(&p);
  std::string calls;
  for (size_t g = 0; g * kGroup < decl.size(); ++g) {
    out += "\nvoid decl_" + std::to_string(g) + "(const Declaration& d, NativeHits& hits) {\n  const int32_t reg = d.registered;\n";
    for (size_t k = g * kGroup; k < std::min(decl.size(), (g + 1) * kGroup); ++k) out += cppProfile(*decl[k]);
    out += "}\n";
    calls += "  decl_" + std::to_string(g) + "(d, hits);\n";
  }
  std::string itemCalls;
  for (size_t g = 0; g * kGroup < item.size(); ++g) {
    out += "\nvoid item_" + std::to_string(g) +
           "(const Declaration& d, const Item& i, NativeHits& hits) {\n  const int32_t reg = d.registered;\n"
           "  const uint64_t h = i.hs;\n  const uint16_t o = i.origin;\n  (void)o;\n";
    for (size_t k = g * kGroup; k < std::min(item.size(), (g + 1) * kGroup); ++k) out += cppProfile(*item[k]);
    out += "}\n";
    itemCalls += "    item_" + std::to_string(g) + "(d, i, hits);\n";
  }
  out += "\n}  // namespace\n\nvoid evaluate(const Declaration& d, NativeHits& hits) {\n" + calls +
         "  for (const Item& i : d.items) {\n" + itemCalls + "  }\n}\n\n}  // namespace daliz::bench::" + ns + "\n";
  return out;
}

std::string toLua(const ProfileSet& set) {
  std::string out = "-- Generated by the daliz benchmark from makeProfileSet(" + std::to_string(set.size) + ", " +
                    std::to_string(set.seed) + ").\n"
                    "local ffi = require(\"ffi\")\n"
                    "ffi.cdef[[\nint daliz_bench_re_match(int profile, const char* s, size_t n);\n"
                    "int daliz_bench_sampled(int profile, const char* id, size_t n, int64_t item, uint32_t bp);\n]]\n"
                    "local C = ffi.C\nlocal floor = math.floor\nlocal REF = DALIZ_REF\n\n"
                    "local function ref_price(h, o)\n  local t = REF[o]\n  if t == nil then return nil end\n  return ";
  const auto& lengths = world().refLengths;
  for (size_t k = 0; k < lengths.size(); ++k) {
    int len = lengths[k];
    std::string prefix = len == 10 ? "h" : "floor(h / " + std::to_string(pow10(10 - len)) + ")";
    out += (k ? " or " : "") + std::string("t[") + prefix + " * 100 + " + std::to_string(len) + "]";
  }
  out += "\nend\n\nlocal function re_match(p, s) return C.daliz_bench_re_match(p, s, #s) ~= 0 end\n"
         "local function sampled(p, id, no, bp) return C.daliz_bench_sampled(p, id, #id, no, bp) ~= 0 end\n";
  std::vector<const ProfileDescription*> decl, item;
  for (const auto& p : set.profiles)
    if (!p.suspended) (p.itemScope ? item : decl).push_back(&p);
  out += "\n-- Profiles in groups of " + std::to_string(kGroup) + ": D[g] declaration scope, I[g] item scope.\nlocal D, I = {}, {}\n";
  for (size_t g = 0; g * kGroup < decl.size(); ++g) {
    out += "\nD[" + std::to_string(g + 1) + "] = function(d, H, n)\n  local reg = d.registered\n  local items = d.items\n";
    for (size_t k = g * kGroup; k < std::min(decl.size(), (g + 1) * kGroup); ++k) out += luaProfile(*decl[k]);
    out += "  return n\nend\n";

  }
  for (size_t g = 0; g * kGroup < item.size(); ++g) {
    out += "\nI[" + std::to_string(g + 1) + "] = function(d, i, H, n)\n  local reg = d.registered\n  local h, o = i.hs, i.origin\n";
    for (size_t k = g * kGroup; k < std::min(item.size(), (g + 1) * kGroup); ++k) out += luaProfile(*item[k]);
    out += "  return n\nend\n";

  }
  out += "\nfunction evaluate(d, H)\n  local n = 0\n  for g = 1, #D do n = D[g](d, H, n) end\n"
         "  local items = d.items\n  for k = 1, #items do\n    local i = items[k]\n"
         "    for g = 1, #I do n = I[g](d, i, H, n) end\n  end\n  return n\nend\n\n"
         "function run_all(decls, H)\n  local total = 0\n"
         "  for j = 1, #decls do total = total + evaluate(decls[j], H) end\n  return total\nend\n";
  return out;
}

}  // namespace daliz::bench
