#include "vm/bundle/approval.h"

#include <algorithm>

#include "vm/value/timestamp.h"

namespace daliz {
namespace {

constexpr std::string_view kBegin = "DALIZAPV";
constexpr std::string_view kEnd = "DALIZAPE";
constexpr uint32_t kVersion = 1;
// "DALIZAPV", version, sequence, act length, act date, effective-from, block length, "DALIZAPE".
constexpr size_t kFixed = 8 + 4 + 8 + 4 + 4 + 8 + 4 + 8;

uint64_t readLe(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
void appendLe(std::string& out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

bool sameApproval(const Approval& a, const Approval& b) {
  return a.sequence == b.sequence && a.act == b.act && a.actDate == b.actDate &&
         a.effectiveFrom == b.effectiveFrom;
}

}  // namespace

std::string encodeApproval(const Approval& a) {
  std::string out(kBegin);
  appendLe(out, kVersion, 4);
  appendLe(out, a.sequence, 8);
  appendLe(out, a.act.size(), 4);
  out += a.act;
  appendLe(out, static_cast<uint32_t>(a.actDate.days), 4);
  appendLe(out, static_cast<uint64_t>(a.effectiveFrom), 8);
  appendLe(out, out.size() + 4, 4);
  out += kEnd;
  return out;
}

std::optional<ApprovalSplit> splitApproval(std::string_view bytes, std::string& error) {
  ApprovalSplit out{bytes, std::nullopt};
  if (bytes.size() < kEnd.size() || bytes.substr(bytes.size() - kEnd.size()) != kEnd) return out;
  auto bad = [&](const std::string& why) -> std::optional<ApprovalSplit> {
    error = "approval block is malformed: " + why;
    return std::nullopt;
  };
  if (bytes.size() < kFixed) return bad("it is truncated");
  const uint64_t length = readLe(bytes.data() + bytes.size() - kEnd.size() - 4, 4);
  if (length < kFixed - kEnd.size() || length > bytes.size() - kEnd.size())
    return bad("its length is invalid");
  const size_t start = bytes.size() - kEnd.size() - length;
  const char* p = bytes.data() + start;
  if (std::string_view(p, kBegin.size()) != kBegin)
    return bad("it does not start where its length says");
  p += kBegin.size();
  const uint64_t version = readLe(p, 4);
  if (version != kVersion)
    return bad("version " + std::to_string(version) + " (this engine reads version " +
               std::to_string(kVersion) + ")");
  Approval a;
  a.sequence = readLe(p + 4, 8);
  const uint64_t actLength = readLe(p + 12, 4);
  if (actLength != length + kEnd.size() - kFixed)
    return bad("the act number's length is inconsistent");
  if (actLength > kMaxApprovalActBytes)
    return bad("the act number is longer than " + std::to_string(kMaxApprovalActBytes) + " bytes");
  a.act.assign(p + 16, actLength);
  if (!validUtf8(a.act)) return bad("the act number is not UTF-8");
  a.actDate = Date{static_cast<int32_t>(readLe(p + 16 + actLength, 4))};
  if (a.actDate < kMinDate || a.actDate > kMaxDate) return bad("the act date is out of range");
  a.effectiveFrom = static_cast<int64_t>(readLe(p + 20 + actLength, 8));
  if (a.effectiveFrom < static_cast<int64_t>(kMinDate.days) * 86400 ||
      a.effectiveFrom > static_cast<int64_t>(kMaxDate.days) * 86400)
    return bad("the effective-from time is out of range");
  out.bundle = bytes.substr(0, start);
  out.approval = std::move(a);
  return out;
}

std::optional<std::string> withApproval(std::string_view file, const Approval& a,
                                        std::string& error) {
  if (a.act.size() > kMaxApprovalActBytes || !validUtf8(a.act)) {
    error = "the act number must be UTF-8 of at most " + std::to_string(kMaxApprovalActBytes) +
            " bytes";
    return std::nullopt;
  }
  auto signedFile = splitSignatures(file, error);
  if (!signedFile) return std::nullopt;
  auto split = splitApproval(signedFile->signedBytes, error);
  if (!split) return std::nullopt;
  if (!signedFile->signatures.empty()) {
    if (split->approval && sameApproval(*split->approval, a)) return std::string(file);
    error = "the bundle is signed already (" + std::to_string(signedFile->signatures.size()) +
            " signature(s)) " +
            (split->approval ? "with " + describeApproval(*split->approval)
                             : std::string("without approval metadata")) +
            ": changing it would void those signatures; sign the new metadata on a fresh copy "
            "of the bundle";
    return std::nullopt;
  }
  return std::string(split->bundle) + encodeApproval(a);
}

std::optional<OpenedFile> openBundleFile(std::string_view file, const TrustPolicy& policy,
                                         std::string& error) {
  auto signedFile = splitSignatures(file, error);
  if (!signedFile) return std::nullopt;
  auto split = splitApproval(signedFile->signedBytes, error);
  if (!split) return std::nullopt;
  OpenedFile out{split->bundle, std::move(split->approval), {}};
  for (const Signature& s : signedFile->signatures) out.signers.push_back(s.key);
  if (policy.allowUnsigned) {
    error = checkSignatures(*signedFile);
  } else if (policy.trusted.empty() || policy.required == 0) {
    error = "the trust policy names no trusted key: give the approvers' public keys";
  } else {
    error = checkApproval(*signedFile, policy.trusted, policy.required);
  }
  if (!error.empty()) return std::nullopt;
  return out;
}

std::string describeApproval(const Approval& a) {
  return "sequence " + std::to_string(a.sequence) + ", act " + a.act + " of " +
         toString(a.actDate) + ", effective from " + formatTimestamp(a.effectiveFrom);
}

}  // namespace daliz
