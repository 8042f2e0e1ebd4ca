#pragma once
// The C++ embedding API: load an approved bundle once, then decide declarations and categorise
// participants from any number of threads (docs/embedding.md). Nothing here throws; errors come
// back as values. For other languages, include/daliz/daliz_c.h is the same engine behind a C ABI.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daliz/export.h"

namespace daliz {

struct LoadedProgram;
struct InputRecord;
class BatchRunner;
class CategorizeBatch;
namespace assign {
class Assigner;
}

namespace api {

// "0.1.0": this engine's version.
DALIZ_API const char* version();
// The bundle format version this engine reads (docs/bundle.md).
DALIZ_API uint32_t bundleFormatVersion();
// The version of the reference data and schema built into the engine (stdlib/).
DALIZ_API const char* stdlibVersion();

// A declaration or participant built in code instead of parsed from JSON. Field names and value
// forms are those of the JSON input (docs/declarations.md): money and decimals as exact decimal
// strings ("1800.50") or integers, dates "YYYY-MM-DD", codes and enums as strings. It reaches
// the engine's decoder as it is, with the same checks and messages as JSON, but without writing
// and parsing JSON. Setting a field again replaces its value. A Record is a value: copies are
// independent.
class DALIZ_API Record {
 public:
  using List = std::vector<Record>;
  Record();
  Record(const Record& other);
  Record(Record&& other) noexcept;
  Record& operator=(const Record& other);
  Record& operator=(Record&& other) noexcept;
  ~Record();

  Record& set(const std::string& field, std::string value);
  Record& set(const std::string& field, const char* value) {
    return set(field, std::string(value));
  }
  Record& set(const std::string& field, int64_t value);
  Record& set(const std::string& field, int value) {
    return set(field, static_cast<int64_t>(value));
  }
  Record& set(const std::string& field, bool value);
  Record& set(const std::string& field, const Record& value);
  Record& set(const std::string& field, const List& value);
  // The record as one JSON object, fields in the order first set (for logs and tests; the
  // engine does not need it).
  std::string toJson() const;

 private:
  friend class Session;
  InputRecord& own();  // the record's data, unshared first (copy on write)
  std::shared_ptr<InputRecord> data_;
};

using PublicKey = std::array<unsigned char, 32>;

// Which bundles an engine accepts (docs/approval.md). The default policy accepts nothing:
// name the approvers' keys, or ask for the development policy explicitly.
struct DALIZ_API TrustPolicy {
  std::vector<PublicKey> trusted;  // the approvers' Ed25519 public keys
  size_t required = 1;             // distinct trusted keys that must have signed
  bool allowUnsigned = false;      // development only; signatures present are still checked
  // This host's X25519 secret key (a `daliz keygen --kind host` NAME.key): opens bundles sealed
  // for it (docs/bundle.md, "Sealed bundles"). Without it a sealed bundle is refused.
  std::optional<std::array<unsigned char, 32>> hostKey;

  // Accepts unsigned bundles (development and tests). Tampered signed files are still refused.
  static TrustPolicy development();
  // Adds a key given as 64 hex digits (a `.pub` file's line); false if it is not one.
  bool addKeyHex(std::string_view hex);
  // Adds the key in a `.pub` file; false with `error` set if it cannot be read or is not one.
  bool addKeyFile(const std::string& path, std::string& error);
  // Sets hostKey from a host secret key file (one line of 64 hex digits); false with `error` set
  // if it cannot be read or is not one.
  bool setHostKeyFile(const std::string& path, std::string& error);
};

// The signed approval metadata of a bundle (docs/approval.md, "Approval metadata").
struct Approval {
  uint64_t sequence = 0;          // a newer approved set has a greater sequence
  std::string act;                // the approval act's number
  std::string actDate;            // "YYYY-MM-DD"
  int64_t effectiveFrom = 0;      // Unix seconds, UTC: when the set may start deciding
  std::string effectiveFromText;  // the same, "YYYY-MM-DDTHH:MM:SSZ"
};

struct Hit {
  std::string profile;
  std::optional<int64_t> item;  // the goods item's number, for item-scope profiles
  std::string level;            // low | medium | high
  std::string corridor;         // the corridor the profile's measures imply
  std::vector<std::string> measures;
  std::string reason;
};

struct Decision {
  std::optional<std::string> id;
  bool ok = false;
  std::string error;        // when !ok: what could not be read, and where
  bool overBudget = false;  // !ok because it needed more work than the execution budget
  std::string corridor;     // green | blue | yellow | red (empty when !ok: never released)
  std::vector<std::string> measures;
  std::vector<std::string> measureCodes;  // each measure's classifier code ("101"), in order
  std::vector<Hit> hits;                  // empty in the declarant's view
  std::string bundle;                // content hash of the bundle that decided
  std::optional<uint64_t> sequence;  // its approval sequence, when it has approval metadata
  std::string json;  // the same decision as one JSON line, as `daliz run --view V` writes it
  // What assigning it to an officer needs (docs/assign.md; when ok): the declaration's customs
  // office, declarant and goods item count, each when the schema and the declaration have it.
  std::optional<std::string> office, declarant;
  std::optional<uint32_t> items;
};

// Whom a decision is for (docs/language.md, "Views of a decision"): the officer (the decision
// of record), the declarant (corridor, measures with codes and requested documents, notices;
// nothing of the profiles: Decision::hits stays empty and an over-budget error does not name
// the profile), or an auditor (everything, with each hit's measure codes and notice).
enum class View : uint8_t { Officer, Declarant, Audit };

// A participant's category (docs/language.md, "Categorisation of participants").
struct Category {
  std::optional<std::string> id;
  bool ok = false;
  std::string error;     // when !ok: what could not be read, and where
  std::string category;  // low | medium | high (empty when !ok)
  std::string rule;      // the rule that decided, or "default"
  std::string reason;
  std::string json;  // the same as one JSON line, as `daliz categorize` writes it
};

class Session;

// Why a load failed.
enum class LoadFailure : uint8_t {
  Unreadable,  // the file could not be read
  Refused,     // not approved under the trust policy, or its signatures do not match
  Invalid,     // corrupted, truncated, from another format version, or does not verify
};

// How an engine runs its profiles (docs/jit.md).
struct EngineOptions {
  // Compile the profiles to native code with the LLVM JIT at load. Decisions are the same as
  // the interpreter's. A profile that fails to compile is interpreted (jitMessages() says why);
  // a build without the JIT interprets everything and says so in jitMessages().
  bool jit = false;
  // With jit: return as soon as the bundle is verified and compile on background threads; the
  // engine decides at once, with the interpreter for each profile not yet compiled (the same
  // decisions), and the profiles switch to native code as they are compiled.
  bool jitInBackground = false;
};

// A verified, loaded bundle. Immutable: share it between threads; give each thread a Session.
class DALIZ_API Engine {
 public:
  // Loads and verifies a bundle file under `policy`; null with `error` set when it is
  // unreadable, refused by the policy ("the bundle is not signed") or invalid.
  static std::shared_ptr<const Engine> loadFile(const std::string& path, const TrustPolicy& policy,
                                                std::string& error, LoadFailure* failure = nullptr);
  static std::shared_ptr<const Engine> loadBytes(std::string_view bytes, const TrustPolicy& policy,
                                                 std::string& error,
                                                 LoadFailure* failure = nullptr);
  // The same, with options (EngineOptions::jit).
  static std::shared_ptr<const Engine> loadFile(const std::string& path, const TrustPolicy& policy,
                                                const EngineOptions& options, std::string& error,
                                                LoadFailure* failure = nullptr);
  static std::shared_ptr<const Engine> loadBytes(std::string_view bytes, const TrustPolicy& policy,
                                                 const EngineOptions& options, std::string& error,
                                                 LoadFailure* failure = nullptr);
  ~Engine();

  const std::string& contentHash() const;
  size_t profileCount() const;
  // The profiles' ids, in the bundle's order.
  std::vector<std::string> profileIds() const;
  bool canCategorize() const;  // the bundle has a categorize block
  const std::optional<Approval>& approval() const;
  // The public keys (64 hex digits each) of the bundle's signatures, in signing order.
  const std::vector<std::string>& signers() const;
  // How many profiles and rules run as native code now (0 without EngineOptions::jit; growing
  // while a background compilation goes on), and why the others do not (as of now).
  size_t compiledFunctions() const;
  std::vector<std::string> jitMessages() const;
  // The loaded program, for the parts of daliz built with its internal headers (serve's plan
  // gauges); an embedding application has no use for it.
  const LoadedProgram& program() const;

 private:
  friend class Session;
  Engine() = default;
  std::unique_ptr<LoadedProgram> program_;
  std::optional<Approval> approval_;
  std::vector<std::string> signers_;
  std::vector<std::string> jitStartMessages_;  // why the JIT could not start, if it could not
};

// One thread's evaluator: decoders, registers and scratch memory. Not thread-safe itself. A
// session made without an engine (null) is not valid(): every call returns an error value.
class DALIZ_API Session {
 public:
  explicit Session(std::shared_ptr<const Engine> engine);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  bool valid() const { return engine_ != nullptr; }
  const std::shared_ptr<const Engine>& engine() const { return engine_; }

  Decision decide(std::string_view declarationJson);
  Decision decide(const Record& declaration);
  // The execution budget per declaration (and per categorisation rule), in units of work: a
  // declaration that needs more gets an error decision, "budget exceeded in profile P", never a
  // corridor. Default: defaultBudget() (docs/limits.md).
  void setBudget(uint64_t units);
  static uint64_t defaultBudget();
  // Whom this session's decisions are for (default View::Officer).
  void setView(View view);
  // The last decision of decide() again, as one JSON line in `view` ("" before any decision):
  // a service that logs the officer's decision and answers the declarant renders both.
  std::string lastJson(View view) const;
  // Needs a bundle with a categorize block (Engine::canCategorize); else an error value.
  Category categorize(std::string_view participantJson);
  Category categorize(const Record& participant);

 private:
  Decision collect(std::string json);
  Category collectCategory(std::string json, bool ok);
  std::shared_ptr<const Engine> engine_;
  std::unique_ptr<BatchRunner> runner_;
  std::unique_ptr<CategorizeBatch> categorizer_;
  View view_ = View::Officer;
  bool decided_ = false;
};

// One decision's assignment (docs/assign.md): exactly one of officer, unassigned, skipped or
// error is set.
struct Assignment {
  std::optional<std::string> id;  // the declaration's
  std::string officer;            // the officer it is given to
  uint64_t weight = 0;            // the workload units it adds to the officer
  std::string unassigned;         // no-office | no-competent-officer | at-capacity | rotation
  std::string reason;             // unassigned: why, in words
  std::string skipped;            // green | blue | error: released (or not decided) without one
  std::string error;              // the input is not a decision
  std::string json;               // the same as one JSON line, as `daliz assign` writes it
};

// Gives selected declarations officers (the assign step after deciding; `daliz assign` and
// POST /v1/assign do the same). Not thread-safe: assignments depend on each other, in order.
class DALIZ_API Assigner {
 public:
  // The roster (the officers file's JSON Lines), the settings file's JSON ("" : the defaults),
  // the state file's text ("" : a new shift), the tie-break seed, and whether blue decisions get
  // an officer. Null with `error` set ("roster: line 3: capacity: …") when one is not valid.
  static std::unique_ptr<Assigner> create(std::string_view officersJsonLines,
                                          std::string_view settingsJson, std::string_view stateJson,
                                          uint64_t seed, bool postRelease, std::string& error);
  ~Assigner();
  Assigner(const Assigner&) = delete;
  Assigner& operator=(const Assigner&) = delete;

  // Assigns one decision: a Session's Decision, or a decision line of `daliz run`.
  Assignment assign(const Decision& decision) { return assign(decision.json); }
  Assignment assign(std::string_view decisionJson);
  // The state file's text now: save it, and create the next batch's Assigner with it.
  std::string state() const;
  // The load per officer, as `daliz assign --loads` prints it.
  std::string loads() const;

 private:
  Assigner() = default;
  std::unique_ptr<assign::Assigner> impl_;
  uint64_t lines_ = 0;
};

}  // namespace api
}  // namespace daliz
