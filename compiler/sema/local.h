#pragma once
// Local (a bound name inside a profile or indicator) is declared with the AST it annotates.
#include "compiler/sema/type.h"
