#include "compiler/driver/given_json.h"

#include "vm/exec/decision.h"

namespace daliz {

std::string givenToJson(const LiteralValue& v, const Type* type) {
  std::string out;
  switch (v.kind) {
    case LiteralValue::Kind::Object: {
      out += '{';
      bool first = true;
      for (const auto& [name, value] : v.fields) {
        int index = type->kind == TypeKind::Record ? type->record->findField(name.text) : -1;
        if (index < 0) continue;
        if (!first) out += ',';
        first = false;
        appendJsonString(out, name.text);
        out += ':';
        out += givenToJson(*value, type->record->fields[index].type);
      }
      // A list the test leaves out is empty: a list is never missing.
      if (type->kind == TypeKind::Record) {
        for (const FieldDecl& f : type->record->fields) {
          if (f.type == nullptr || f.type->kind != TypeKind::List) continue;
          bool given = false;
          for (const auto& field : v.fields) given |= field.first.text == f.name.text;
          if (given) continue;
          if (!first) out += ',';
          first = false;
          appendJsonString(out, f.name.text);
          out += ":[]";
        }
      }
      out += '}';
      return out;
    }
    case LiteralValue::Kind::List: {
      out += '[';
      for (size_t i = 0; i < v.elements.size(); ++i) {
        if (i) out += ',';
        out += givenToJson(*v.elements[i], type->element);
      }
      out += ']';
      return out;
    }
    case LiteralValue::Kind::Scalar: break;
  }
  const Expr& e = *v.scalar;
  switch (e.kind) {
    case ExprKind::IntLit: return std::to_string(static_cast<const IntLit&>(e).value);
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit: appendJsonString(out, toString(static_cast<const DecimalLit&>(e).value)); return out;
    case ExprKind::StringLit: appendJsonString(out, static_cast<const StringLit&>(e).value); return out;
    case ExprKind::DateLit: appendJsonString(out, toString(static_cast<const DateLit&>(e).value)); return out;
    case ExprKind::BoolLit: return static_cast<const BoolLit&>(e).value ? "true" : "false";
    case ExprKind::Name: appendJsonString(out, static_cast<const NameExpr&>(e).name); return out;
    default: return "null";
  }
}

}  // namespace daliz
