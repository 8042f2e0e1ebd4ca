// daliz keygen / sign / verify / seal: approving bundles with Ed25519 signatures
// (docs/approval.md), and sealing approved bundles for engine hosts (docs/bundle.md).
#include <filesystem>
#include <iostream>

#include "cli/bundle_file.h"
#include "cli/commands.h"
#include "cli/diagnostics_output.h"
#include "cli/files.h"
#include "vm/bundle/approval.h"
#include "vm/value/timestamp.h"

namespace daliz::cli {

int runKeygen(const Options& o) {
  const bool host = o.kind == "host";
  PublicKey pub;
  SecretKey secret;
  HostPublicKey hostPub;
  HostSecretKey hostSecret;
  if (host ? !generateHostKeyPair(hostPub, hostSecret) : !generateKeyPair(pub, secret)) {
    printError(Diag::NoRandomness);
    return 1;
  }
  const std::string secretHex =
      host ? toHex(hostSecret.data(), hostSecret.size()) : toHex(secret.data(), secret.size());
  const std::string publicHex =
      host ? toHex(hostPub.data(), hostPub.size()) : toHex(pub.data(), pub.size());
  std::string why;
  std::string secretPath = o.key + ".key", publicPath = o.key + ".pub";
  std::error_code ec;
  for (const std::string& path : {secretPath, publicPath})
    if (std::filesystem::exists(path, ec)) {
      printError(Diag::KeyExists, {path});
      return 1;
    }
  // The secret key is its holder's alone from its first byte (mode 0600) and never replaces an
  // existing file: a lost approver's or host's key cannot be undone.
  AtomicFile secretFile;
  if (!secretFile.open(secretPath, why, 0600) || !secretFile.append(secretHex + "\n", why) ||
      !secretFile.commit(why, false) || !writeFileAtomically(publicPath, publicHex + "\n", why)) {
    printError(Diag::CannotWriteKeyPair, {o.key, why});
    return 1;
  }
  std::cerr << "wrote " << secretPath
            << (host ? " (secret: keep it on the engine host) and "
                     : " (secret: keep it to the approver) and ")
            << publicPath << "\n";
  return 0;
}

int runSeal(const Options& o) {
  std::string why;
  std::vector<HostPublicKey> recipients;
  for (const std::string& path : o.to) {
    auto text = readWholeFile(path, why);
    HostPublicKey key;
    if (!text || !fromHex(*text, key)) {
      printError(Diag::NotHostPublicKey, {path});
      return 1;
    }
    recipients.push_back(key);
  }
  auto bytes = readWholeFile(o.bundle, why);
  if (!bytes) {
    printError(Diag::CannotReadBundle, {o.bundle, why});
    return 1;
  }
  if (isSealed(*bytes)) {
    printError(Diag::SealedAlready, {o.bundle});
    return 1;
  }
  // Only an approved bundle is sealed: a valid bundle whose signatures are all valid, at least one.
  auto loaded = loadProgram(*bytes, TrustPolicy::development(), why);
  if (!loaded) {
    printError(Diag::InvalidBundle, {o.bundle, why});
    return 1;
  }
  if (loaded->signers.empty()) {
    printError(Diag::SealNeedsSignature, {o.bundle});
    return 1;
  }
  auto sealed = sealBundle(*bytes, recipients, why);
  if (!sealed || !writeFileAtomically(o.out, *sealed, why)) {
    printError(Diag::CannotSeal, {o.bundle, why});
    return 1;
  }
  std::cerr << "sealed " << o.bundle << " (bundle " << loaded->contentHash << ", "
            << loaded->signers.size() << " signature(s)) for " << recipients.size()
            << " host(s) into " << o.out << "\n";
  return 0;
}

namespace {

// The approval metadata of the sign options; prints why and returns nullopt when one is missing
// or malformed.
std::optional<Approval> approvalOf(const ApprovalOptions& a) {
  if (!a.sequence || a.act.empty() || a.actDate.empty()) {
    printError(Diag::ApprovalIncomplete);
    return std::nullopt;
  }
  Approval out;
  out.sequence = *a.sequence;
  out.act = a.act;
  auto date = parseDate(a.actDate);
  if (!date) {
    printError(Diag::BadOptionValue, {"--act-date", "a date YYYY-MM-DD", a.actDate});
    return std::nullopt;
  }
  out.actDate = *date;
  auto from = parseTimestamp(a.effectiveFrom.empty() ? a.actDate : a.effectiveFrom);
  if (!from) {
    printError(Diag::BadOptionValue,
               {"--effective-from", "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)", a.effectiveFrom});
    return std::nullopt;
  }
  out.effectiveFrom = *from;
  return out;
}

}  // namespace

int runSign(const Options& o, const ApprovalOptions& a) {
  std::string why;
  auto keyText = readWholeFile(o.key, why);
  SecretKey secret;
  if (!keyText || !fromHex(*keyText, secret)) {
    printError(Diag::NotSecretKey, {o.key});
    return 1;
  }
  std::optional<Approval> approval;
  if (a.given() && !(approval = approvalOf(a))) return 1;
  // Only a valid bundle is worth approving: load it first.
  Options plain = o;
  plain.trust.clear();
  if (!loadBundleFile(plain)) return 1;
  auto bytes = readWholeFile(o.bundle, why);
  if (bytes && approval) {
    auto withMetadata = withApproval(*bytes, *approval, why);
    if (!withMetadata) {
      printError(Diag::CannotSign, {o.bundle, why});
      return 1;
    }
    bytes = std::move(withMetadata);
  }
  auto signedFile = bytes ? addSignature(*bytes, secret, why) : std::nullopt;
  if (!signedFile || !writeFileAtomically(o.bundle, *signedFile, why)) {
    printError(Diag::CannotSign, {o.bundle, why});
    return 1;
  }
  std::string error;
  auto opened = openBundleFile(*signedFile, TrustPolicy::development(), error);
  std::cerr << "signed " << o.bundle << " (" << (opened ? opened->signers.size() : 0) << " signature(s)"
            << (opened && opened->approval ? "; " + describeApproval(*opened->approval) : std::string()) << ")\n";
  return 0;
}

int runVerify(const Options& o) {
  if (o.trust.empty()) {
    printError(Diag::VerifyNeedsTrust);
    return 1;
  }
  auto loaded = loadBundleFile(o);
  if (!loaded) return 1;
  std::cout << o.bundle << ": approved, bundle " << loaded->contentHash;
  if (loaded->approval) std::cout << ", " << describeApproval(*loaded->approval);
  std::cout << "\n";
  return 0;
}

}  // namespace daliz::cli
