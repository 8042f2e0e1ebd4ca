#include "compiler/sema/type.h"

namespace daliz {

const Type* TypeContext::intern(Type t) {
  for (const Type& existing : types_)
    if (existing.kind == t.kind && existing.optional == t.optional &&
        existing.enumDecl == t.enumDecl && existing.record == t.record &&
        existing.element == t.element)
      return &existing;
  types_.push_back(t);
  return &types_.back();
}

const Type* TypeContext::get(TypeKind k, bool optional) { return intern({k, optional}); }
const Type* TypeContext::enumType(const EnumDecl* e, bool optional) {
  return intern({TypeKind::Enum, optional, e, nullptr, nullptr});
}
const Type* TypeContext::recordType(const RecordDecl* r, bool optional) {
  return intern({TypeKind::Record, optional, nullptr, r, nullptr});
}
const Type* TypeContext::listOf(const Type* element) {
  return intern({TypeKind::List, false, nullptr, nullptr, element});
}
const Type* TypeContext::setOf(const Type* element) {
  return intern({TypeKind::Set, false, nullptr, nullptr, element});
}
const Type* TypeContext::withOptional(const Type* t, bool optional) {
  if (t->optional == optional || t->kind == TypeKind::Error) return t;
  Type copy = *t;
  copy.optional = optional;
  return intern(copy);
}

std::string toString(const Type* t) {
  if (t == nullptr) return "nothing";
  std::string s;
  switch (t->kind) {
    case TypeKind::Error: return "an invalid expression";
    case TypeKind::Bool: s = "bool"; break;
    case TypeKind::Int: s = "int"; break;
    case TypeKind::Decimal: s = "decimal"; break;
    case TypeKind::Money: s = "money"; break;
    case TypeKind::String: s = "string"; break;
    case TypeKind::Date: s = "date"; break;
    case TypeKind::Hs: s = "hs"; break;
    case TypeKind::Country: s = "country"; break;
    case TypeKind::Currency: s = "currency"; break;
    case TypeKind::Code: s = "code"; break;
    case TypeKind::Enum: s = t->enumDecl->name.text; break;
    case TypeKind::Record: s = t->record->name.text; break;
    case TypeKind::List: s = "list<" + toString(t->element) + ">"; break;
    case TypeKind::Set: s = "set<" + toString(t->element) + ">"; break;
  }
  return t->optional ? s + "?" : s;
}

bool sameValueType(const Type* a, const Type* b) {
  return a->kind == b->kind && a->enumDecl == b->enumDecl && a->record == b->record &&
         a->element == b->element;
}

}  // namespace daliz
