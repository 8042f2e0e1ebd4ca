#pragma once
// Reads one declaration (one line of JSON Lines, spec section 8) into the VM's value cells,
// typed and checked against the declaration schema. docs/declarations.md is the user-facing
// description: what each field kind accepts, the error messages and the limits.
//
// The result is a tree in arena memory: a record is Value[fieldCount] in schema field order
// (so the compiler's field indices address it directly), a list is a ListValue whose items
// point at the field cells of its records, strings are copied into the arena. Nothing in
// the tree points into the input line or into the decoder.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vm/bytecode/program.h"
#include "vm/decode/arena.h"
#include "vm/decode/input_record.h"
#include "vm/exec/value.h"
#include "vm/limits.h"

namespace daliz {

// Limits (docs/declarations.md): a longer line, or more list elements in one declaration
// (all lists together: goods items, their documents, …), is an error.
inline constexpr std::size_t kMaxDeclarationBytes = limits::kDeclarationBytes;
inline constexpr uint32_t kMaxListElements = static_cast<uint32_t>(limits::kListElements);

class DeclarationDecoder {
 public:
  // The schema must outlive the decoder. A decoder keeps its parser and scratch buffers
  // between calls and is not thread-safe: use one per thread.
  explicit DeclarationDecoder(const Schema& schema);
  ~DeclarationDecoder();
  DeclarationDecoder(const DeclarationDecoder&) = delete;
  DeclarationDecoder& operator=(const DeclarationDecoder&) = delete;

  struct Result {
    // On success: the root record's field cells (Value[schema.records[schema.root].fields
    // .size()]), in arena memory — what a record Value's `rec` holds. nullptr on error.
    const Value* root = nullptr;
    // The root record's id field (schema.idField) when it is a JSON string, also when another
    // field is in error; nullopt when the line is not JSON, not an object, or has no string id.
    std::optional<std::string> id;
    // Empty on success; otherwise the first error, e.g.
    // `items[2].hs_code: expected 2 to 10 digits, got "61A9"`.
    std::string error;
  };

  // Decodes one line (without its line terminator; surrounding whitespace is fine). The tree
  // lives in `arena` until its next reset(). On error the arena may hold partial garbage:
  // reset it as usual.
  Result decode(std::string_view jsonLine, Arena& arena);
  // Decodes a record built in code with the same checks and messages as a JSON line of the
  // same content: a string where a number is expected gets the JSON form's message, a field the
  // schema does not know is ignored, and so on. Strings must be UTF-8.
  Result decode(const InputRecord& record, Arena& arena);

  // How deeply objects and arrays may nest in a declaration (the schema's own depth; the
  // root object is level 1).
  uint32_t maxDepth() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace daliz
