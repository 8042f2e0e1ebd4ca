#pragma once
#include <deque>
#include <string>

#include "compiler/syntax/ast.h"

namespace daliz {

enum class TypeKind {
  Error,  // the type of an expression already reported as wrong: stops follow-on errors
  Bool, Int, Decimal, Money, String, Date, Hs, Country, Currency, Code, Enum, Record, List, Set,
};

// Types are interned by TypeContext, so two types are equal exactly when their pointers are.
struct Type {
  TypeKind kind;
  bool optional = false;
  const EnumDecl* enumDecl = nullptr;   // Enum
  const RecordDecl* record = nullptr;   // Record
  const Type* element = nullptr;        // List, Set (never optional)
};

class TypeContext {
 public:
  const Type* get(TypeKind k, bool optional = false);
  const Type* enumType(const EnumDecl* e, bool optional = false);
  const Type* recordType(const RecordDecl* r, bool optional = false);
  const Type* listOf(const Type* element);
  const Type* setOf(const Type* element);
  const Type* withOptional(const Type* t, bool optional);
  const Type* error() { return get(TypeKind::Error); }

 private:
  const Type* intern(Type t);
  std::deque<Type> types_;
};

// "money", "money?", "set<hs>", "record Item", "enum category".
std::string toString(const Type* t);
// "money" for money and money?: the same kind of value, missing or not.
bool sameValueType(const Type* a, const Type* b);
inline bool isNumeric(const Type* t) { return t->kind == TypeKind::Int || t->kind == TypeKind::Decimal; }
inline bool isError(const Type* t) { return t == nullptr || t->kind == TypeKind::Error; }

}  // namespace daliz
