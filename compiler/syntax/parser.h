#pragma once
#include <memory>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "vm/limits.h"

namespace daliz {

// Limits that keep hostile input from exhausting the stack: deeper nesting is reported as
// NestingTooDeep instead of being parsed (vm/limits.def).
inline constexpr int kMaxNesting = static_cast<int>(limits::kNesting);
inline constexpr int kMaxExprDepth = static_cast<int>(limits::kExprDepth);

// Parses source file `file` of `sources` into a Module. Every lexical and syntax error is
// reported to `sink` with its position; the module holds whatever declarations could be
// built. Never throws, whatever the input bytes.
std::unique_ptr<Module> parseModule(const SourceManager& sources, uint32_t file,
                                    DiagnosticSink& sink);

}  // namespace daliz
