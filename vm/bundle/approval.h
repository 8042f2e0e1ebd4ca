#pragma once
// Approval (docs/approval.md): the signed metadata of an approved bundle, and the trust policy
// under which an engine accepts a bundle file.
//
//   file           = bundle bytes | approval block (optional) | signature trailer (signature.h)
//   approval block = "DALIZAPV" | u32 version (1) | u64 sequence | u32 act length | act bytes
//                    | i32 act date (days since 1970-01-01) | i64 effective-from (Unix seconds)
//                    | u32 block length (from "DALIZAPV" to here) | "DALIZAPE"
//
// Integers are little-endian. The signatures cover the bundle and the approval block, so the
// sequence and the dates of an approved bundle cannot change without voiding its signatures;
// the content hash covers the bundle only, so approving never changes it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vm/bundle/seal.h"
#include "vm/bundle/signature.h"
#include "vm/limits.h"
#include "vm/value/date.h"

namespace daliz {

struct Approval {
  // Orders the approved sets of one customs service: a newer set has a greater sequence, and an
  // engine never replaces a bundle by one with a smaller or equal sequence.
  uint64_t sequence = 0;
  std::string act;            // the approval act's number, as the act reads it ("17-ОД")
  Date actDate{0};            // the act's date
  int64_t effectiveFrom = 0;  // when the set may start deciding: Unix seconds, UTC
};

inline constexpr size_t kMaxApprovalActBytes = limits::kApprovalActBytes;

// The approval block for `a` (a.act at most kMaxApprovalActBytes bytes of UTF-8).
std::string encodeApproval(const Approval& a);

struct ApprovalSplit {
  std::string_view bundle;           // the bundle's own bytes (what readBundle reads)
  std::optional<Approval> approval;  // none when the bytes end without an approval block
};

// Splits signed bytes (SignedFile::signedBytes) into the bundle and its approval block. Fails
// with `error` set when a block is present but malformed (bad length, version, date or act).
std::optional<ApprovalSplit> splitApproval(std::string_view signedBytes, std::string& error);

// `file` with its approval block set to `a`. Fails when the file is signed already and its
// approval would change: that would void the signatures (signers approve one set of metadata).
std::optional<std::string> withApproval(std::string_view file, const Approval& a,
                                        std::string& error);

// Which bundle files an engine accepts.
struct TrustPolicy {
  std::vector<PublicKey> trusted;  // the approvers' public keys
  size_t required = 1;             // distinct trusted keys that must have signed
  // Development only: accept bundles without (enough) trusted signatures. Signatures that are
  // present are still checked: a tampered file is refused under every policy.
  bool allowUnsigned = false;
  // This engine host's X25519 secret key: opens sealed bundle files (seal.h). Without it a sealed
  // file is refused; plain files load as before.
  std::optional<HostSecretKey> hostKey;

  static TrustPolicy development() { return TrustPolicy{{}, 0, true, std::nullopt}; }
};

struct OpenedFile {
  std::string_view bundle;           // the bundle's own bytes
  std::optional<Approval> approval;  // its signed approval metadata, if any
  std::vector<PublicKey> signers;    // the key of every (valid) signature, in signing order
};

// Splits a bundle file and checks it under `policy`: every signature present must be valid,
// and unless policy.allowUnsigned at least policy.required distinct keys of policy.trusted must
// have signed (a policy with no trusted keys refuses everything). Returns nullopt with `error`
// saying why ("the bundle is not signed", "… 1 signature(s) by trusted keys; 2 required").
// Does not read the bundle itself: readBundle does.
std::optional<OpenedFile> openBundleFile(std::string_view file, const TrustPolicy& policy,
                                         std::string& error);

// "sequence 7, act 17-ОД of 2026-11-30, effective from 2026-12-01T00:00:00Z".
std::string describeApproval(const Approval& a);

}  // namespace daliz
