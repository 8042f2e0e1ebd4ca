#pragma once
#include <string>

#include "compiler/sema/checker.h"

namespace daliz {

// Writes a checked `given` literal as the JSON declaration it stands for, so that tests go
// through the same decoder as production input. Fields left out stay out (missing).
std::string givenToJson(const LiteralValue& v, const Type* type);

}  // namespace daliz
