#pragma once
// The embedding API: load an approved bundle once, then decide declarations from any number
// of threads (docs/embedding.md). Nothing here throws; errors come back as values.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace daliz {

struct LoadedProgram;
class BatchRunner;

namespace api {

// A declaration built in code instead of parsed from JSON. Field names and value forms are
// those of the JSON input (docs/declarations.md): money and decimals as exact decimal
// strings ("1800.50") or integers, dates "YYYY-MM-DD", codes and enums as strings.
class Record {
 public:
  using List = std::vector<Record>;
  Record& set(const std::string& field, std::string value);
  Record& set(const std::string& field, const char* value) { return set(field, std::string(value)); }
  Record& set(const std::string& field, int64_t value);
  Record& set(const std::string& field, int value) { return set(field, static_cast<int64_t>(value)); }
  Record& set(const std::string& field, bool value);
  Record& set(const std::string& field, Record value);
  Record& set(const std::string& field, List value);
  // The record as one JSON object (what the engine decodes).
  std::string toJson() const;

 private:
  using Value = std::variant<std::string, int64_t, bool, std::shared_ptr<Record>, std::shared_ptr<List>>;
  std::map<std::string, Value> fields_;
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
  std::string error;     // when !ok: what could not be read, and where
  std::string corridor;  // green | blue | yellow | red (empty when !ok: never released)
  std::vector<std::string> measures;
  std::vector<Hit> hits;
  std::string bundle;    // content hash of the bundle that decided
  std::string json;      // the same decision as one JSON line, as `daliz run` writes it
};

class Session;

// A verified, loaded bundle. Immutable: share it between threads; give each thread a Session.
class Engine {
 public:
  // Loads and verifies a bundle; null with `error` set when it is unreadable or invalid.
  static std::shared_ptr<const Engine> loadFile(const std::string& path, std::string& error);
  static std::shared_ptr<const Engine> loadBytes(std::string_view bytes, std::string& error);
  ~Engine();

  const std::string& contentHash() const;
  size_t profileCount() const;

 private:
  friend class Session;
  Engine() = default;
  std::unique_ptr<LoadedProgram> program_;
};

// One thread's evaluator: decoder, registers and scratch memory. Not thread-safe itself.
class Session {
 public:
  explicit Session(std::shared_ptr<const Engine> engine);
  ~Session();
  Decision decide(std::string_view declarationJson);
  Decision decide(const Record& declaration);

 private:
  std::shared_ptr<const Engine> engine_;
  std::unique_ptr<BatchRunner> runner_;
};

}  // namespace api
}  // namespace daliz
