// Approval signatures: a signed bundle is accepted only with enough valid trusted signatures;
// any changed byte, in the bundle or in a signature, is refused.
#include <catch2/catch.hpp>

#include "vm/bundle/signature.h"

namespace daliz {
namespace {

std::string fakeBundle() {
  std::string b = "DALIZBND";
  for (int i = 0; i < 300; ++i) b += static_cast<char>(i * 7);
  return b;
}

}  // namespace

TEST_CASE("a bundle signed by a trusted key is approved, unsigned or untrusted is not", "[approval]") {
  PublicKey alicePub, bobPub;
  SecretKey alice, bob;
  REQUIRE(generateKeyPair(alicePub, alice));
  REQUIRE(generateKeyPair(bobPub, bob));
  std::string error;
  std::string bundle = fakeBundle();

  auto unsignedFile = splitSignatures(bundle, error);
  REQUIRE(unsignedFile);
  CHECK(unsignedFile->signedBytes == bundle);
  CHECK(checkApproval(*unsignedFile, {alicePub}, 1) == "the bundle is not signed");

  auto once = addSignature(bundle, alice, error);
  REQUIRE(once);
  auto split = splitSignatures(*once, error);
  REQUIRE(split);
  CHECK(split->signedBytes == bundle);  // signing never changes the bundle's bytes
  CHECK(split->signatures.size() == 1);
  CHECK(checkApproval(*split, {alicePub}, 1).empty());
  CHECK(checkApproval(*split, {bobPub}, 1) == "the bundle has 0 signature(s) by trusted keys; 1 required");
  CHECK(checkApproval(*split, {alicePub, bobPub}, 2) == "the bundle has 1 signature(s) by trusted keys; 2 required");

  auto twice = addSignature(*once, bob, error);
  REQUIRE(twice);
  auto both = splitSignatures(*twice, error);
  REQUIRE(both);
  CHECK(both->signatures.size() == 2);
  CHECK(checkApproval(*both, {alicePub, bobPub}, 2).empty());

  // Signing again with the same key replaces its signature rather than adding one.
  auto again = addSignature(*twice, alice, error);
  REQUIRE(again);
  CHECK(splitSignatures(*again, error)->signatures.size() == 2);
}

TEST_CASE("every flipped byte of a signed bundle is refused", "[approval]") {
  PublicKey pub;
  SecretKey secret;
  REQUIRE(generateKeyPair(pub, secret));
  std::string error;
  auto signedFile = addSignature(fakeBundle(), secret, error);
  REQUIRE(signedFile);
  for (size_t i = 0; i < signedFile->size(); ++i) {
    std::string copy = *signedFile;
    copy[i] ^= 0x01;
    std::string why;
    auto split = splitSignatures(copy, why);
    bool approved = split && checkApproval(*split, {pub}, 1).empty();
    INFO("byte " << i);
    CHECK_FALSE(approved);
  }
}

TEST_CASE("keys round-trip through their hex files; bad key text is refused", "[approval]") {
  PublicKey pub, back;
  SecretKey secret;
  REQUIRE(generateKeyPair(pub, secret));
  REQUIRE(fromHex(toHex(pub.data(), pub.size()) + "\n", back));
  CHECK(back == pub);
  CHECK_FALSE(fromHex("abc", back));
  CHECK_FALSE(fromHex(std::string(64, 'g'), back));
}

TEST_CASE("a malformed signature trailer is an error, not a crash", "[approval]") {
  std::string error;
  std::string bad = fakeBundle() + "DALIZSIG" + std::string(4, '\x05') + std::string(4, '\xff') + "DALIZSGE";
  CHECK_FALSE(splitSignatures(bad, error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(splitSignatures("DALIZSGE", error));
}

}  // namespace daliz
