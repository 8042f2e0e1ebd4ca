// Sealed bundles (vm/bundle/seal.h, docs/bundle.md): a sealed file loads only with a recipient
// host's key, to the same program as the plain file; every changed or cut byte is refused; and
// the CLI seals only approved bundles and loads sealed ones with --host-key.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/cli_run.h"
#include "tests/support/engine_fixture.h"
#include "vm/bundle/seal.h"
#include "vm/exec/loaded_program.h"

namespace daliz::testing {
namespace {

const std::string kSpec = std::string(DALIZ_SOURCE_DIR) + "/tests/spec/examples";

// A folder with the spec's valuation bundle, unsigned (v.bundle) and signed (signed.bundle), an
// approver key (head) and the key pairs of three hosts (h1, h2, other).
struct SealFixture {
  TempDir dir;
  std::string plain, signedBytes;
  SealFixture() {
    Run c = daliz(dir, "compile " + shellQuote(kSpec + "/01_valuation.dlz") + " --ref " +
                           shellQuote(kSpec) + " -o v.bundle");
    INFO(c.err);
    REQUIRE(c.exit == 0);
    plain = readFile(dir.file("v.bundle"));
    dir.write("signed.bundle", plain);
    REQUIRE(daliz(dir, "keygen --out head").exit == 0);
    REQUIRE(daliz(dir, "sign signed.bundle --key head.key").exit == 0);
    signedBytes = readFile(dir.file("signed.bundle"));
    for (const char* host : {"h1", "h2", "other"})
      REQUIRE(daliz(dir, std::string("keygen --kind host --out ") + host).exit == 0);
  }
  HostPublicKey pub(const std::string& name) const {
    HostPublicKey k;
    REQUIRE(fromHex(readFile(dir.file(name + ".pub")), k));
    return k;
  }
  HostSecretKey secret(const std::string& name) const {
    HostSecretKey k;
    REQUIRE(fromHex(readFile(dir.file(name + ".key")), k));
    return k;
  }
  TrustPolicy policyFor(const std::string& host) const {
    TrustPolicy p = TrustPolicy::development();
    p.hostKey = secret(host);
    return p;
  }
};

TEST_CASE("sealed bundle: round trip, two recipients, a wrong key and no key", "[seal]") {
  SealFixture f;
  std::string error;
  auto sealed = sealBundle(f.signedBytes, {f.pub("h1"), f.pub("h2")}, error);
  REQUIRE(sealed);
  CHECK(isSealed(*sealed));
  CHECK(sealed->find("DALIZBND") == std::string::npos);  // nothing of the bundle in clear
  CHECK(sealed->size() == f.signedBytes.size() + 8 + 4 + 4 + 24 + 2 * 80 + 16);
  auto plainLoaded = loadProgram(f.signedBytes, TrustPolicy::development(), error);
  REQUIRE(plainLoaded);
  for (const char* host : {"h1", "h2"}) {
    CAPTURE(host);
    auto opened = openSealed(*sealed, f.secret(host), error);
    REQUIRE(opened);
    CHECK(*opened == f.signedBytes);
    bool refused = true;
    auto loaded = loadProgram(*sealed, f.policyFor(host), error, &refused);
    REQUIRE(loaded);
    CHECK_FALSE(refused);
    CHECK(loaded->contentHash == plainLoaded->contentHash);
    CHECK(loaded->signers == plainLoaded->signers);
  }
  bool refused = false;
  CHECK_FALSE(loadProgram(*sealed, f.policyFor("other"), error, &refused));
  CHECK(refused);
  CHECK(error == "sealed bundle: not sealed for this host key");
  refused = false;
  CHECK_FALSE(loadProgram(*sealed, TrustPolicy::development(), error, &refused));
  CHECK(refused);
  CHECK(error == "sealed bundle: no host key given");
  // The trust policy still applies to the plaintext: a key nobody signed with refuses it.
  TrustPolicy strict = f.policyFor("h1");
  strict.allowUnsigned = false;
  strict.trusted = {PublicKey{}};
  CHECK_FALSE(loadProgram(*sealed, strict, error));
  // Sealing twice, no recipient, a recipient twice or too many: refused.
  CHECK_FALSE(sealBundle(*sealed, {f.pub("h1")}, error));
  CHECK(error == "the bundle is sealed already");
  CHECK_FALSE(sealBundle(f.signedBytes, {}, error));
  CHECK_FALSE(sealBundle(f.signedBytes, {f.pub("h1"), f.pub("h1")}, error));
  std::vector<HostPublicKey> many(kMaxSealRecipients + 1);
  for (size_t i = 0; i < many.size(); ++i) many[i][0] = static_cast<unsigned char>(i);
  CHECK_FALSE(sealBundle(f.signedBytes, many, error));
}

TEST_CASE("sealed bundle: every flipped or cut byte is refused, never a crash",
          "[seal][robustness]") {
  SealFixture f;
  std::string error;
  auto sealed = sealBundle(f.signedBytes, {f.pub("h1"), f.pub("h2")}, error);
  REQUIRE(sealed);
  const TrustPolicy policy = f.policyFor("h2");  // the second box: the first is tried and fails
  size_t loaded = 0;
  for (size_t i = 0; i < sealed->size(); ++i) {
    for (unsigned char bit : {0x01, 0x80}) {
      std::string s = *sealed;
      s[i] = static_cast<char>(s[i] ^ bit);
      if (loadProgram(s, policy, error)) ++loaded;
    }
  }
  CHECK(loaded == 0);
  for (size_t cut = 0; cut < sealed->size(); ++cut)
    if (loadProgram(std::string_view(*sealed).substr(0, cut), policy, error)) ++loaded;
  CHECK(loaded == 0);
  // A changed ciphertext is a corrupted file, not a refusal by the policy.
  std::string changed = *sealed;
  changed.back() = static_cast<char>(changed.back() ^ 0x01);
  bool refused = true;
  CHECK_FALSE(loadProgram(changed, policy, error, &refused));
  CHECK_FALSE(refused);
  CHECK(error ==
        "sealed bundle is malformed: the file was changed after sealing (it does not "
        "authenticate)");
  // A count past the limit, or a version this daliz does not read: named in the message.
  std::string many = *sealed;
  many[12] = static_cast<char>(kMaxSealRecipients + 1);
  CHECK_FALSE(openSealed(many, f.secret("h1"), error));
  CHECK(error.find("recipients (1 to 64 allowed)") != std::string::npos);
  std::string version = *sealed;
  version[8] = 2;
  CHECK_FALSE(openSealed(version, f.secret("h1"), error));
  CHECK(error.find("format version 2") != std::string::npos);
  CHECK(loadProgram(*sealed, policy, error));
}

TEST_CASE("daliz seal, keygen --kind host and --host-key: the same decisions, sealed",
          "[seal][cli]") {
  SealFixture f;
  const std::string in = kSpec + "/01_valuation_declarations.jsonl";
  // The host's secret key: 0600 from the start, never overwritten.
  CHECK(
      (std::filesystem::status(f.dir.file("h1.key")).permissions() & std::filesystem::perms::all) ==
      (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK(readFile(f.dir.file("h1.key")).size() == 65);
  const std::string key = readFile(f.dir.file("h1.key"));
  Run again = daliz(f.dir, "keygen --kind host --out h1");
  CHECK(again.exit == 1);
  CHECK(again.err.find("already exists") != std::string::npos);
  CHECK(readFile(f.dir.file("h1.key")) == key);
  CHECK(daliz(f.dir, "keygen --kind nobody --out x").exit == 1);

  // Only an approved bundle is sealed.
  Run unsigned_ = daliz(f.dir, "seal v.bundle --to h1.pub -o v.sealed");
  CHECK(unsigned_.exit == 1);
  CHECK(unsigned_.err.find("is not signed: only an approved bundle is sealed") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(f.dir.file("v.sealed")));
  Run badKey = daliz(f.dir, "seal signed.bundle --to head.key -o s.sealed");
  CHECK(badKey.exit == 1);
  CHECK(badKey.err.find("is not a host public key file") != std::string::npos);
  Run sealed = daliz(f.dir, "seal signed.bundle --to h1.pub h2.pub -o s.sealed");
  INFO(sealed.err);
  REQUIRE(sealed.exit == 0);

  Run plain = daliz(f.dir, "run signed.bundle --threads 1 --in " + shellQuote(in));
  REQUIRE(plain.exit == 0);
  REQUIRE_FALSE(plain.out.empty());
  for (const char* host : {"h1.key", "h2.key"}) {
    Run r = daliz(f.dir, "run s.sealed --threads 1 --trust head.pub --host-key " +
                             std::string(host) + " --in " + shellQuote(in));
    INFO(r.err);
    CHECK(r.exit == 0);
    CHECK(r.out == plain.out);
  }
  Run noKey = daliz(f.dir, "run s.sealed --in " + shellQuote(in));
  CHECK(noKey.exit == 1);
  CHECK(noKey.out.empty());
  CHECK(noKey.err.find("sealed bundle: no host key given (--host-key)") != std::string::npos);
  Run wrong = daliz(f.dir, "run s.sealed --host-key other.key --in " + shellQuote(in));
  CHECK(wrong.exit == 1);
  CHECK(wrong.err.find("sealed bundle: not sealed for this host key") != std::string::npos);
  Run notKey = daliz(f.dir, "run s.sealed --host-key h1.pub.missing --in " + shellQuote(in));
  CHECK(notKey.exit == 1);
  CHECK(notKey.err.find("is not a host secret key file") != std::string::npos);

  // verify and disasm open it with the key, and refuse it without.
  Run verify = daliz(f.dir, "verify s.sealed --trust head.pub --host-key h1.key");
  CHECK(verify.exit == 0);
  CHECK(daliz(f.dir, "verify s.sealed --trust head.pub").exit == 1);
  Run disasmPlain = daliz(f.dir, "disasm signed.bundle");
  Run disasmSealed = daliz(f.dir, "disasm s.sealed --host-key h2.key");
  CHECK(disasmSealed.exit == 0);
  CHECK(disasmSealed.out == disasmPlain.out);
  CHECK(daliz(f.dir, "disasm s.sealed").exit == 1);
  // replay finds the sealed bundle of a decision log by its plaintext's hash, with the key only.
  std::filesystem::create_directory(f.dir.file("archive"));
  std::filesystem::copy_file(f.dir.file("s.sealed"), f.dir.file("archive/s.sealed"));
  Run logged =
      daliz(f.dir, "run s.sealed --host-key h1.key --threads 1 --log d.log --in " + shellQuote(in));
  REQUIRE(logged.exit == 0);
  Run replayed = daliz(f.dir, "replay --log d.log --bundles archive --host-key h2.key");
  INFO(replayed.out << replayed.err);
  CHECK(replayed.exit == 0);
  CHECK(replayed.out.find(" 0 difference(s)") != std::string::npos);
  CHECK(daliz(f.dir, "replay --log d.log --bundles archive").exit != 0);
  // Sealing a sealed file: refused.
  CHECK(daliz(f.dir, "seal s.sealed --to h1.pub -o t.sealed").exit == 1);
}

}  // namespace
}  // namespace daliz::testing
