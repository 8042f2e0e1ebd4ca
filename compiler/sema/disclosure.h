#pragma once
// What a notice may show the declarant (docs/language.md, "What the declarant is told"): only
// the declaration's own data. A value that comes from the profile — a literal (a threshold, a
// pattern), a set, a table, an indicator, or a `let` computed from one of them — would tell the
// declarant how the profile selects, which the law keeps confidential.
#include <string>

#include "compiler/syntax/ast.h"

namespace daliz {

struct Disclosure {
  const Expr* at = nullptr;  // the first part of the expression a notice may not show
  std::string what;          // what it is, in words: "a threshold of the profile", "table `T`"
};

// The first part of `e` (a typed expression of a notice's `{…}`) that is not the declaration's
// own data; `at` is null when every part is.
Disclosure findDisclosure(const Expr& e);

}  // namespace daliz
