// The C ABI (include/daliz/daliz_c.h) through the real shared library: this test binary links
// libdaliz.so.0 and nothing else of daliz. Every null, freed or foreign handle and every bad
// argument gets an error code and a message, never a crash; decisions are the bytes `daliz run`
// writes.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daliz/daliz_c.h"

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A folder with the spec's valuation bundle (unsigned and signed), compiled by the CLI.
struct Fixture {
  std::filesystem::path dir;
  std::string bundle, signedBundle, pub, declarations, expected;
  Fixture() {
    char tmpl[] = "/tmp/daliz-capi-XXXXXX";
    dir = mkdtemp(tmpl);
    bundle = (dir / "v.bundle").string();
    signedBundle = (dir / "signed.bundle").string();
    pub = (dir / "head.pub").string();
    const std::string spec = std::string(DALIZ_SOURCE_DIR) + "/tests/spec/examples";
    const std::string cli = DALIZ_BINARY;
    const std::string d = dir.string();
    declarations = spec + "/01_valuation_declarations.jsonl";
    const std::string cmd =
        "cd '" + d + "' && '" + cli + "' compile '" + spec + "/01_valuation.dlz' --ref '" + spec +
        "' -o v.bundle 2>/dev/null && cp v.bundle signed.bundle && '" + cli +
        "' keygen --out head 2>/dev/null && '" + cli +
        "' sign signed.bundle --key head.key --sequence 5 --act A-1 --act-date 2026-11-30 "
        "2>/dev/null && '" +
        cli + "' run v.bundle --in '" + declarations + "' --threads 1 > expected.jsonl 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) >= 0);
    expected = readAll((dir / "expected.jsonl").string());
    REQUIRE_FALSE(expected.empty());
  }
  ~Fixture() { std::filesystem::remove_all(dir); }
};

daliz_engine* loadDev(const std::string& path, uint32_t flags = 0) {
  daliz_trust* trust = nullptr;
  REQUIRE(daliz_trust_new_development(&trust) == DALIZ_OK);
  daliz_engine* engine = nullptr;
  daliz_status s = flags ? daliz_engine_load_file_ex(path.c_str(), trust, flags, &engine)
                         : daliz_engine_load_file(path.c_str(), trust, &engine);
  INFO(daliz_last_error());
  REQUIRE(s == DALIZ_OK);
  daliz_trust_free(trust);  // the engine copied the policy
  return engine;
}

// The decision lines for the declarations of `path`, as `daliz run` writes them.
std::string decideFile(daliz_session* session, const std::string& path) {
  std::ifstream in(path);
  std::string line, got;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const char* out = nullptr;
    size_t n = 0;
    daliz_status s = daliz_decide(session, line.data(), line.size(), &out, &n);
    REQUIRE((s == DALIZ_OK || s == DALIZ_E_INPUT));
    if (s == DALIZ_E_INPUT) CHECK(std::string(daliz_last_error()).size() > 0);
    got.append(out, n);
    got += '\n';
  }
  return got;
}

// Both back ends: the interpreter (flags 0) and the JIT (DALIZ_ENGINE_JIT) give the same bytes.
TEST_CASE("C ABI: versions, and decisions byte-identical to daliz run", "[capi]") {
  CHECK(daliz_abi_version() == DALIZ_ABI_VERSION);
  CHECK(std::string(daliz_version()).find('.') != std::string::npos);
  CHECK(daliz_bundle_format_version() >= 2);
  const uint32_t flags = GENERATE(0u, DALIZ_ENGINE_JIT);
  CAPTURE(flags);
  Fixture f;
  daliz_engine* engine = loadDev(f.bundle, flags);
  size_t profiles = 0;
  REQUIRE(daliz_engine_profile_count(engine, &profiles) == DALIZ_OK);
  CHECK(profiles > 0);
  const char* info = nullptr;
  size_t infoLength = 0;
  REQUIRE(daliz_engine_info(engine, &info, &infoLength) == DALIZ_OK);
#ifdef DALIZ_HAVE_JIT
  const size_t native = flags ? profiles : 0;
#else
  const size_t native = 0;
#endif
  CHECK(
      std::string(info, infoLength).find("\"native_functions\":" + std::to_string(native) + "}") !=
      std::string::npos);
  const char* hash = nullptr;
  REQUIRE(daliz_engine_content_hash(engine, &hash) == DALIZ_OK);
  CHECK(std::string(hash).size() == 32);

  daliz_session* session = nullptr;
  REQUIRE(daliz_session_new(engine, &session) == DALIZ_OK);
  daliz_engine_free(engine);  // the session keeps the engine loaded
  CHECK(decideFile(session, f.declarations) == f.expected);
  daliz_session_free(session);
}

TEST_CASE("C ABI: an engine compiling in the background decides at once, the same bytes",
          "[capi]") {
  Fixture f;
  daliz_engine* engine = loadDev(f.bundle, DALIZ_ENGINE_JIT | DALIZ_ENGINE_JIT_BACKGROUND);
  size_t profiles = 0, native = 0;
  REQUIRE(daliz_engine_profile_count(engine, &profiles) == DALIZ_OK);
  daliz_session* session = nullptr;
  REQUIRE(daliz_session_new(engine, &session) == DALIZ_OK);
  CHECK(decideFile(session, f.declarations) == f.expected);
#ifdef DALIZ_HAVE_JIT
  // It goes native within a bounded time.
  for (int k = 0; k < 600 && native < profiles; ++k) {
    REQUIRE(daliz_engine_native_functions(engine, &native) == DALIZ_OK);
    if (native < profiles) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(native == profiles);
#else
  REQUIRE(daliz_engine_native_functions(engine, &native) == DALIZ_OK);
  CHECK(native == 0);
#endif
  daliz_session_free(session);
  daliz_engine_free(engine);
}

TEST_CASE("C ABI: every null, freed or foreign handle is an error, never a crash", "[capi]") {
  Fixture f;
  const char* out = nullptr;
  size_t n = 0;
  CHECK(daliz_decide(nullptr, "{}", 2, &out, &n) == DALIZ_E_ARGUMENT);
  CHECK(std::string(daliz_last_error()).find("session") != std::string::npos);
  CHECK(daliz_categorize(nullptr, "{}", 2, &out, &n) == DALIZ_E_ARGUMENT);
  CHECK(daliz_session_new(nullptr, nullptr) == DALIZ_E_ARGUMENT);
  daliz_session* s = nullptr;
  CHECK(daliz_session_new(nullptr, &s) == DALIZ_E_ARGUMENT);
  CHECK(s == nullptr);
  CHECK(daliz_engine_load_file(nullptr, nullptr, nullptr) == DALIZ_E_ARGUMENT);
  daliz_engine* e = nullptr;
  CHECK(daliz_engine_load_file(f.bundle.c_str(), nullptr, &e) == DALIZ_E_ARGUMENT);  // no policy
  CHECK(e == nullptr);
  CHECK(daliz_engine_load_bytes(nullptr, 10, nullptr, &e) == DALIZ_E_ARGUMENT);
  {
    daliz_trust* dev = nullptr;
    REQUIRE(daliz_trust_new_development(&dev) == DALIZ_OK);
    CHECK(daliz_engine_load_file_ex(f.bundle.c_str(), dev, 0x80u, &e) ==
          DALIZ_E_ARGUMENT);  // unknown flag
    CHECK(std::string(daliz_last_error()) == "unknown engine flags");
    CHECK(e == nullptr);
    CHECK(daliz_engine_load_bytes_ex(nullptr, 10, dev, DALIZ_ENGINE_JIT, &e) == DALIZ_E_ARGUMENT);
    // Background says how to compile, not whether: alone it is an error.
    CHECK(daliz_engine_load_file_ex(f.bundle.c_str(), dev, DALIZ_ENGINE_JIT_BACKGROUND, &e) ==
          DALIZ_E_ARGUMENT);
    CHECK(e == nullptr);
    size_t native = 0;
    CHECK(daliz_engine_native_functions(nullptr, &native) == DALIZ_E_ARGUMENT);
    daliz_trust_free(dev);
  }
  CHECK(daliz_engine_info(nullptr, nullptr, nullptr) == DALIZ_E_ARGUMENT);
  CHECK(daliz_engine_content_hash(nullptr, nullptr) == DALIZ_E_ARGUMENT);
  size_t count = 0;
  CHECK(daliz_engine_profile_count(nullptr, &count) == DALIZ_E_ARGUMENT);
  CHECK(daliz_trust_add_key_hex(nullptr, "00") == DALIZ_E_ARGUMENT);
  CHECK(daliz_trust_new(1, nullptr) == DALIZ_E_ARGUMENT);
  daliz_trust* t = nullptr;
  CHECK(daliz_trust_new(0, &t) ==
        DALIZ_E_ARGUMENT);  // 0 signatures is the development policy's job
  daliz_trust_free(nullptr);
  daliz_engine_free(nullptr);
  daliz_session_free(nullptr);

  // A pointer that is not a handle of this library: refused before it is read.
  int junk[16] = {};
  CHECK(daliz_decide(reinterpret_cast<daliz_session*>(junk), "{}", 2, &out, &n) ==
        DALIZ_E_ARGUMENT);
  CHECK(daliz_session_new(reinterpret_cast<daliz_engine*>(junk), &s) == DALIZ_E_ARGUMENT);
  daliz_engine_free(reinterpret_cast<daliz_engine*>(junk));  // ignored

  // A freed handle, and a second free: refused and ignored.
  daliz_engine* engine = loadDev(f.bundle);
  REQUIRE(daliz_session_new(engine, &s) == DALIZ_OK);
  daliz_session_free(s);
  CHECK(daliz_decide(s, "{}", 2, &out, &n) == DALIZ_E_ARGUMENT);
  daliz_session_free(s);
  daliz_engine_free(engine);
  CHECK(daliz_session_new(engine, &s) == DALIZ_E_ARGUMENT);
  daliz_engine_free(engine);

  // Bad arguments on a good session.
  engine = loadDev(f.bundle);
  REQUIRE(daliz_session_new(engine, &s) == DALIZ_OK);
  CHECK(daliz_decide(s, nullptr, 5, &out, &n) == DALIZ_E_ARGUMENT);
  CHECK(daliz_decide(s, "{}", 2, nullptr, &n) == DALIZ_E_ARGUMENT);
  CHECK(daliz_decide(s, "{}", 2, &out, nullptr) == DALIZ_E_ARGUMENT);
  // An empty or hostile input is a declaration that cannot be evaluated, with its error decision.
  for (std::string input : {std::string(), std::string("\xff\xfe"), std::string(100000, '['),
                            std::string("{\"id\":1}")}) {
    CHECK(daliz_decide(s, input.data(), input.size(), &out, &n) == DALIZ_E_INPUT);
    CHECK(std::string(out, n).find("\"status\":\"error\"") != std::string::npos);
  }
  // The bundle has no categorize block.
  CHECK(daliz_categorize(s, "{}", 2, &out, &n) == DALIZ_E_UNSUPPORTED);
  // The execution budget: a tiny one turns a good declaration into an error decision.
  CHECK(daliz_session_set_budget(nullptr, 5) == DALIZ_E_ARGUMENT);
  CHECK(daliz_default_budget() == 50000000);
  std::ifstream decls(f.declarations);
  std::string good;
  std::getline(decls, good);
  REQUIRE(daliz_session_set_budget(s, 5) == DALIZ_OK);
  CHECK(daliz_decide(s, good.data(), good.size(), &out, &n) == DALIZ_E_INPUT);
  CHECK(std::string(daliz_last_error()).find("budget exceeded in profile") != std::string::npos);
  REQUIRE(daliz_session_set_budget(s, 0) == DALIZ_OK);  // back to the default
  CHECK(daliz_decide(s, good.data(), good.size(), &out, &n) == DALIZ_OK);
  // An over-budget error in the declarant's view does not name the profile.
  REQUIRE(daliz_session_set_budget(s, 5) == DALIZ_OK);
  REQUIRE(daliz_session_set_view(s, DALIZ_VIEW_DECLARANT) == DALIZ_OK);
  CHECK(daliz_decide(s, good.data(), good.size(), &out, &n) == DALIZ_E_INPUT);
  CHECK(std::string(out, n).find("profile") == std::string::npos);
  CHECK(std::string(out, n).find("an officer decides it") != std::string::npos);
  REQUIRE(daliz_session_set_budget(s, 0) == DALIZ_OK);
  CHECK(daliz_decide(s, good.data(), good.size(), &out, &n) == DALIZ_OK);
  CHECK(std::string(out, n).find("\"notices\":[") != std::string::npos);
  CHECK(std::string(out, n).find("\"hits\"") == std::string::npos);
  CHECK(daliz_session_set_view(s, 3) == DALIZ_E_ARGUMENT);
  CHECK(daliz_session_set_view(nullptr, DALIZ_VIEW_AUDIT) == DALIZ_E_ARGUMENT);
  REQUIRE(daliz_session_set_view(s, DALIZ_VIEW_OFFICER) == DALIZ_OK);
  daliz_session_free(s);
  daliz_engine_free(engine);
  CHECK(std::string(daliz_status_name(DALIZ_E_REFUSED)) == "DALIZ_E_REFUSED");
  CHECK(std::string(daliz_status_name(static_cast<daliz_status>(99))) == "unknown status");
}

TEST_CASE("C ABI: the trust policy refuses unsigned and tampered bundles", "[capi]") {
  Fixture f;
  daliz_trust* trust = nullptr;
  REQUIRE(daliz_trust_new(1, &trust) == DALIZ_OK);
  CHECK(daliz_trust_add_key_hex(trust, "not hex") == DALIZ_E_ARGUMENT);
  CHECK(daliz_trust_add_key_file(trust, "/no/such/file.pub") == DALIZ_E_IO);
  daliz_engine* e = nullptr;
  CHECK(daliz_engine_load_file(f.signedBundle.c_str(), trust, &e) ==
        DALIZ_E_REFUSED);  // no keys yet
  REQUIRE(daliz_trust_add_key_file(trust, f.pub.c_str()) == DALIZ_OK);
  CHECK(daliz_engine_load_file(f.bundle.c_str(), trust, &e) == DALIZ_E_REFUSED);
  CHECK(std::string(daliz_last_error()).find("not signed") != std::string::npos);
  CHECK(e == nullptr);
  CHECK(daliz_engine_load_file("/no/such.bundle", trust, &e) == DALIZ_E_IO);
  REQUIRE(daliz_engine_load_file(f.signedBundle.c_str(), trust, &e) == DALIZ_OK);
  const char* info = nullptr;
  size_t n = 0;
  REQUIRE(daliz_engine_info(e, &info, &n) == DALIZ_OK);
  const std::string json(info, n);
  CHECK(json.find("\"sequence\":5") != std::string::npos);
  CHECK(json.find("\"act\":\"A-1\"") != std::string::npos);
  CHECK(json.find(readAll(f.pub).substr(0, 64)) != std::string::npos);  // the signer
  daliz_engine_free(e);

  // Every byte of the signed file matters: a flipped byte is refused (or, in the bundle's own
  // bytes, fails its signature), never loaded.
  std::string bytes = readAll(f.signedBundle);
  for (size_t at = 0; at < bytes.size(); at += 97) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
    daliz_status s = daliz_engine_load_bytes(flipped.data(), flipped.size(), trust, &e);
    INFO("byte " << at << ": " << daliz_last_error());
    CHECK((s == DALIZ_E_REFUSED || s == DALIZ_E_BUNDLE));
    CHECK(e == nullptr);
  }
  daliz_trust_free(trust);
}

// The decisions of `engine` on the fixture's declarations, one line each.
std::string decideAll(daliz_engine* engine, const std::string& declarations) {
  daliz_session* session = nullptr;
  REQUIRE(daliz_session_new(engine, &session) == DALIZ_OK);
  std::string got = decideFile(session, declarations);
  daliz_session_free(session);
  return got;
}

TEST_CASE("C ABI: a sealed bundle loads with the host key only, with the same decisions",
          "[capi][seal]") {
  Fixture f;
  const std::string d = f.dir.string(), cli = DALIZ_BINARY;
  const std::string cmd = "cd '" + d + "' && '" + cli +
                          "' keygen --kind host --out h 2>/dev/null && '" + cli +
                          "' keygen --kind host --out other 2>/dev/null && '" + cli +
                          "' seal signed.bundle --to h.pub -o s.sealed 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string sealed = (f.dir / "s.sealed").string();
  daliz_trust* trust = nullptr;
  REQUIRE(daliz_trust_new(1, &trust) == DALIZ_OK);
  REQUIRE(daliz_trust_add_key_file(trust, f.pub.c_str()) == DALIZ_OK);
  daliz_engine* e = nullptr;
  CHECK(daliz_engine_load_file(sealed.c_str(), trust, &e) == DALIZ_E_REFUSED);
  CHECK(std::string(daliz_last_error()).find("sealed bundle: no host key given") !=
        std::string::npos);
  CHECK(daliz_trust_set_host_key_file(nullptr, (f.dir / "h.key").c_str()) == DALIZ_E_ARGUMENT);
  CHECK(daliz_trust_set_host_key_file(trust, nullptr) == DALIZ_E_ARGUMENT);
  CHECK(daliz_trust_set_host_key_file(trust, "/no/such/h.key") == DALIZ_E_IO);
  CHECK(daliz_trust_set_host_key_file(trust, f.pub.c_str()) == DALIZ_OK);  // 64 hex: any key
  CHECK(daliz_engine_load_file(sealed.c_str(), trust, &e) == DALIZ_E_REFUSED);
  REQUIRE(daliz_trust_set_host_key_file(trust, (f.dir / "other.key").c_str()) == DALIZ_OK);
  CHECK(daliz_engine_load_file(sealed.c_str(), trust, &e) == DALIZ_E_REFUSED);
  CHECK(std::string(daliz_last_error()).find("not sealed for this host key") != std::string::npos);
  CHECK(e == nullptr);
  REQUIRE(daliz_trust_set_host_key_file(trust, (f.dir / "h.key").c_str()) == DALIZ_OK);
  REQUIRE(daliz_engine_load_file(sealed.c_str(), trust, &e) == DALIZ_OK);
  daliz_engine* plain = nullptr;
  REQUIRE(daliz_engine_load_file(f.signedBundle.c_str(), trust, &plain) == DALIZ_OK);
  const char *hashSealed = nullptr, *hashPlain = nullptr;
  REQUIRE(daliz_engine_content_hash(e, &hashSealed) == DALIZ_OK);
  REQUIRE(daliz_engine_content_hash(plain, &hashPlain) == DALIZ_OK);
  CHECK(std::string(hashSealed) == hashPlain);
  const std::string decided = decideAll(e, f.declarations);
  CHECK_FALSE(decided.empty());
  CHECK(decided == decideAll(plain, f.declarations));
  daliz_engine_free(e);
  daliz_engine_free(plain);
  // A cut sealed file: refused as a bundle or by its key, never loaded.
  const std::string bytes = readAll(sealed);
  for (size_t cut : {size_t{0}, size_t{8}, size_t{40}, size_t{120}, bytes.size() - 1}) {
    daliz_status s = daliz_engine_load_bytes(bytes.data(), cut, trust, &e);
    CHECK((s == DALIZ_E_REFUSED || s == DALIZ_E_BUNDLE));
    CHECK(e == nullptr);
  }
  daliz_trust_free(trust);
}

TEST_CASE("C ABI: sessions on threads share one engine", "[capi]") {
  Fixture f;
  daliz_engine* engine = loadDev(f.bundle);
  std::vector<std::string> lines;
  std::ifstream in(f.declarations);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) lines.push_back(l);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      daliz_session* s = nullptr;
      if (daliz_session_new(engine, &s) != DALIZ_OK) {
        ++mismatches;
        return;
      }
      std::string got;
      for (int round = 0; round < 20; ++round) {
        got.clear();
        for (const std::string& l : lines) {
          const char* out = nullptr;
          size_t n = 0;
          daliz_decide(s, l.data(), l.size(), &out, &n);
          got.append(out, n);
          got += '\n';
        }
        if (got != f.expected) ++mismatches;
      }
      daliz_session_free(s);
    });
  for (auto& t : threads) t.join();
  CHECK(mismatches == 0);
  daliz_engine_free(engine);
}

}  // namespace
