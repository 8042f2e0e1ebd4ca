#pragma once
#include "compiler/codegen/program_tables.h"

namespace daliz {

// Looks for a necessary condition of the profile in the top-level conjuncts of its `when`
// (`a and b and …`: if one conjunct is false or unknown the profile cannot fire): a test of a
// field against literal values — `i.hs_code in SET`, `i.hs_code.heading == "6109"`,
// `i.origin in { "AF", "MM" }`, `i.procedure == "4000000"`, `i.customs_value > 10000` (two
// bounds on one field intersect). In declaration scope: the same tests on the declaration's
// own fields (`declaration.procedure == "40"`), or inside `any(x in declaration.items: …)` or
// `count(x in declaration.items: …) >= 1`. Returns kind None when there is none.
// Only the goods-item list (`itemsField` of the root) is indexed. When the guard comes from a
// quantifier, `quantifier` is set to it: its loop need only visit the items the index matched.
GuardSpec findGuard(const ProfileDecl& p, ProgramTables& tables, uint32_t itemsField,
                    const QuantifierExpr** quantifier = nullptr);

}  // namespace daliz
