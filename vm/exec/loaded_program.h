#pragma once
#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vm/bundle/approval.h"
#include "vm/bytecode/program.h"
#include "vm/exec/amendment.h"
#include "vm/exec/compiled_code.h"
#include "vm/exec/value.h"
#include "vm/value/keyed_hash.h"

namespace daliz {

// An hs set prepared for lookup: for each prefix length present, its ranges sorted.
struct HsSetIndex {
  struct ByLength {
    uint8_t length;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;  // merged, sorted [low, high]
  };
  std::vector<ByLength> lengths;
};

// A table prepared for lookup: rows keyed by their encoded keys. Every hash table here is built
// from bundle data, so it hashes with KeyedHash (hash-flood resistance).
struct TableIndex {
  std::unordered_map<std::string, Value, KeyedHash, std::equal_to<>> rows;
  std::vector<uint8_t> hsLengths;  // prefix lengths present in the first hs key column
  int hsKey = -1;                  // which key matches by longest prefix, or -1
};

// Profiles by the guard the compiler proved for them (GuardSpec), so that an item is tested
// only against the profiles that can fire for it: the cost per item grows with the number of
// profiles that match its codes, not with the size of the profile set.
struct ProfileIndex {
  struct HsField {
    uint32_t field = 0;
    std::vector<uint8_t> lengths;                                     // prefix lengths present
    std::unordered_map<uint64_t, std::vector<uint32_t>, KeyedHash> byPrefix;  // packed prefix → profiles
    std::vector<std::pair<HsRange, uint32_t>> wide;                   // ranges too wide to expand
  };
  struct IntField {
    uint32_t field = 0;
    std::unordered_map<int64_t, std::vector<uint32_t>, KeyedHash> byValue;
  };
  struct StringField {
    uint32_t field = 0;
    // Looked up by string_view (no string built per item).
    std::unordered_map<std::string, std::vector<uint32_t>, KeyedHash, std::equal_to<>> byValue;
  };
  struct RangeField {
    uint32_t field = 0;
    bool units = false;  // a decimal or money field (Value::d), else int or date (Value::i)
    struct Entry {
      __int128 low, high;
      uint32_t profile;
    };
    std::vector<Entry> byLow;  // sorted by low: the candidates for v are a prefix of it
  };
  struct Guards {
    std::vector<HsField> hs;
    std::vector<IntField> ints;
    std::vector<StringField> strings;
    std::vector<RangeField> ranges;
  };
  Guards item;                         // item-scope profiles: run for the matching items
  Guards anyItem;                      // declaration-scope profiles: run if some item matches
  Guards declaration;                  // declaration-scope profiles: run if the declaration matches
  std::vector<uint32_t> itemAlways;    // item-scope profiles without a guard
  std::vector<uint32_t> declAlways;    // declaration-scope profiles without a guard
};

// Where a decision's DeclarationFacts (vm/exec/decision.h) come from: fields found by name in the
// schema at load time, so that the bundle format does not change and a replaced schema
// (`--schema`) without them simply gives decisions without them. -1: the schema has no such
// field (of a string or code kind).
struct FactFields {
  int office = -1;       // the root's `customs_office`
  int declarant = -1;    // the root's `declarant` record
  int declarantId = -1;  // that record's `id`
};

// A verified Program with everything the VM precomputes at load time. Immutable once
// built: any number of threads evaluate with it at once, each with its own Evaluator.
struct LoadedProgram {
  Program program;
  std::string contentHash;  // of the bundle's bytes; "" when built in memory
  std::optional<Approval> approval;  // the signed approval metadata, when the file had it
  std::vector<PublicKey> signers;    // keys of the file's (valid) signatures, in signing order
  std::vector<Value> constants;
  std::vector<std::unique_ptr<RE2>> regexes;
  std::vector<HsSetIndex> hsSets;
  std::vector<TableIndex> tables;
  std::vector<bool> enabled;  // per profile: active, or draft with includeDrafts
  ProfileIndex index;
  FactFields factFields;
  // The schema's `previous`/`override` fields and the measure of each corridor for the hits the
  // engine makes itself (vm/exec/amendment.h).
  AmendmentFields amendment;
  std::array<int64_t, 4> corridorMeasure{-1, -1, -1, -1};
  // Native code for its functions, when a compiling back end was attached (vm/jit/jit.h):
  // evaluators run it instead of interpreting. Shared: it must outlive every evaluator.
  std::shared_ptr<const CompiledCode> compiled;
};

// Builds the load-time structures. `program` must have passed verifyProgram. Fails (returns
// null and sets `error`) only if a regex does not compile.
std::unique_ptr<LoadedProgram> prepareProgram(Program program, std::string contentHash, std::string& error);

// Opens a bundle file under `policy` (vm/bundle/approval.h), then reads, verifies and prepares
// the bundle: the one way every engine — CLI, embedding API, C ABI, service — loads a bundle.
// Null with `error` set ("the bundle is not signed", "bundle is corrupted: …") on failure.
// `refused`, when given, is set to whether the failure is the policy's (not approved, a
// signature that does not match) rather than the bundle's.
// A sealed file (vm/bundle/seal.h) is opened with policy.hostKey in memory, then checked as the
// plain file it holds: without a host key, kNoHostKeyError; with another host's key,
// kNotForThisHostError (both refusals, seal.h); a malformed or changed sealed file is
// invalid ("sealed bundle is malformed: …").
std::unique_ptr<LoadedProgram> loadProgram(std::string_view file, const TrustPolicy& policy,
                                           std::string& error, bool* refused = nullptr);

// The encoded key of a table row or lookup: each key as 8 bytes (int) or length + bytes.
void appendTableKey(std::string& key, const Value& v, ConstKind kind);

}  // namespace daliz
