#pragma once
// What assignment remembers between batches (docs/assign.md, "The state file"): the workload
// each officer has taken this shift, and the officers of each declarant's recent declarations.
// Kept in a JSON file written atomically, so an interrupted run leaves the previous state.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daliz::assign {

// Ordered maps: the file's bytes depend on the content only.
struct State {
  std::map<std::string, uint64_t, std::less<>> load;  // officer id -> workload units taken
  // declarant id -> officers of its last assigned declarations, oldest first.
  std::map<std::string, std::vector<std::string>, std::less<>> recent;
  bool operator==(const State&) const = default;
};

// The file's text: {"format":"daliz-assign-state/1","load":{…},"recent":{…}} and a newline.
std::string renderState(const State& state);
// Reads it back, checked (a state file is trusted no more than any input). nullopt with
// `error` set when it is not one.
std::optional<State> parseState(std::string_view text, std::string& error);
// Writes renderState(state) to `path` atomically (temporary file, fsync, rename).
bool saveState(const std::string& path, const State& state, std::string& why);

}  // namespace daliz::assign
