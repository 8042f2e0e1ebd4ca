// Approval metadata (vm/bundle/approval.h): the block round-trips, every malformed block is
// refused with a message, and openBundleFile applies the trust policy. Timestamps read and write
// the two forms they document.
#include <catch2/catch.hpp>

#include "vm/bundle/approval.h"
#include "vm/value/timestamp.h"

namespace daliz {
namespace {

const std::string kBundle = std::string("DALIZBND") + std::string(200, '\x07');

TEST_CASE("approval block: round trip, and no block at all", "[approval]") {
  Approval a{42, "17-ОД/2026", Date{20422}, 1764547200};
  std::string error;
  const std::string file = kBundle + encodeApproval(a);  // split's views point into it
  auto split = splitApproval(file, error);
  REQUIRE(split);
  CHECK(split->bundle == kBundle);
  REQUIRE(split->approval);
  CHECK(split->approval->sequence == 42);
  CHECK(split->approval->act == "17-ОД/2026");
  CHECK(split->approval->actDate == Date{20422});
  CHECK(split->approval->effectiveFrom == 1764547200);
  CHECK(describeApproval(*split->approval) ==
        "sequence 42, act 17-ОД/2026 of 2025-11-30, effective from 2025-12-01T00:00:00Z");
  auto plain = splitApproval(kBundle, error);
  REQUIRE(plain);
  CHECK_FALSE(plain->approval);
  CHECK(plain->bundle == kBundle);
}

TEST_CASE(
    "approval block: every flipped or cut byte is refused or read as other values, never trusted "
    "blindly",
    "[approval][robustness]") {
  const std::string block = encodeApproval(Approval{7, "A-1", Date{20000}, 0});
  const std::string file = kBundle + block;
  size_t refused = 0;
  for (size_t i = kBundle.size(); i < file.size(); ++i) {
    for (unsigned char bit : {0x01, 0x80}) {
      std::string f = file;
      f[i] = static_cast<char>(f[i] ^ bit);
      std::string error;
      auto split = splitApproval(f, error);
      if (!split) {
        ++refused;
        CHECK(error.rfind("approval block is malformed: ", 0) == 0);
      } else if (split->approval) {
        CHECK(split->bundle == kBundle);  // a changed value is caught by the signatures, not here
      }
    }
  }
  CHECK(refused > 0);
  for (size_t cut = 1; cut < block.size(); ++cut) {
    std::string error;
    auto split = splitApproval(file.substr(0, file.size() - cut), error);
    if (split) CHECK_FALSE(split->approval);  // the end marker is gone: no block
  }
  std::string error;
  CHECK_FALSE(splitApproval(kBundle + encodeApproval(Approval{1, "\xff\xfe", Date{0}, 0}), error));
  CHECK(error.find("not UTF-8") != std::string::npos);
  CHECK_FALSE(withApproval(kBundle, Approval{1, std::string(300, 'x'), Date{0}, 0}, error));
}

TEST_CASE("openBundleFile: the trust policy decides, signatures are always checked", "[approval]") {
  PublicKey alicePub, bobPub;
  SecretKey alice, bob;
  REQUIRE(generateKeyPair(alicePub, alice));
  REQUIRE(generateKeyPair(bobPub, bob));
  std::string error;
  auto withMeta = withApproval(kBundle, Approval{3, "X", Date{20000}, 100}, error);
  REQUIRE(withMeta);
  auto once = addSignature(*withMeta, alice, error);
  REQUIRE(once);
  auto opened = openBundleFile(*once, TrustPolicy{{alicePub}, 1, false, std::nullopt}, error);
  REQUIRE(opened);
  CHECK(opened->bundle == kBundle);
  CHECK(opened->approval->sequence == 3);
  CHECK(opened->signers == std::vector<PublicKey>{alicePub});
  CHECK_FALSE(openBundleFile(*once, TrustPolicy{{bobPub}, 1, false, std::nullopt}, error));
  CHECK(error == "the bundle has 0 signature(s) by trusted keys; 1 required");
  CHECK_FALSE(openBundleFile(*once, TrustPolicy{{}, 1, false, std::nullopt}, error));
  CHECK(error.find("no trusted key") != std::string::npos);
  CHECK_FALSE(openBundleFile(kBundle, TrustPolicy{{alicePub}, 1, false, std::nullopt}, error));
  CHECK(error == "the bundle is not signed");
  CHECK(openBundleFile(kBundle, TrustPolicy::development(), error));
  // The development policy still refuses a signature that does not match.
  std::string tampered = *once;
  tampered[20] = static_cast<char>(tampered[20] ^ 1);
  CHECK_FALSE(openBundleFile(tampered, TrustPolicy::development(), error));
  CHECK(error.find("does not match the bundle") != std::string::npos);
  // A second approver signs the same metadata; two distinct keys are counted.
  auto twice = addSignature(*once, bob, error);
  REQUIRE(twice);
  CHECK(openBundleFile(*twice, TrustPolicy{{alicePub, bobPub}, 2, false, std::nullopt}, error));
  auto again = addSignature(*twice, bob, error);  // the same key again replaces its signature
  REQUIRE(again);
  CHECK(openBundleFile(*again, TrustPolicy{{alicePub, bobPub}, 2, false, std::nullopt}, error)
            ->signers.size() == 2);
}

TEST_CASE("timestamps: the two forms read back as written", "[approval][value]") {
  CHECK(parseTimestamp("1970-01-01") == 0);
  CHECK(parseTimestamp("2026-12-01T00:00:00Z") == 1796083200);
  CHECK(parseTimestamp("2026-12-01T23:59:59Z") == 1796169599);
  CHECK(formatTimestamp(1796083200) == "2026-12-01T00:00:00Z");
  CHECK(formatTimestamp(-1) == "1969-12-31T23:59:59Z");
  CHECK(formatTimestampMicros(1796083200000001) == "2026-12-01T00:00:00.000001Z");
  for (const char* bad :
       {"", "2026-12-01T24:00:00Z", "2026-12-01T00:60:00Z", "2026-12-01T00:00:00",
        "2026-12-01 00:00:00Z", "2026-02-30", "2026-12-01T00:00:00+05:00", "26-12-01"})
    CHECK_FALSE(parseTimestamp(bad));
  for (int64_t t : {int64_t{0}, int64_t{1796083200}, int64_t{-62135596800}, int64_t{253402300799}})
    CHECK(parseTimestamp(formatTimestamp(t)) == t);
}

}  // namespace
}  // namespace daliz
