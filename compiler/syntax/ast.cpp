#include "compiler/syntax/ast.h"

namespace daliz {

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Coalesce: return "??";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
  }
  return "?";
}

const char* corridorName(Corridor c) {
  static const char* const kNames[] = {"green", "blue", "yellow", "red"};
  return kNames[static_cast<int>(c)];
}
const char* levelName(Level l) {
  static const char* const kNames[] = {"low", "medium", "high"};
  return kNames[static_cast<int>(l)];
}
const char* statusName(ProfileStatus s) {
  static const char* const kNames[] = {"draft", "active", "suspended"};
  return kNames[static_cast<int>(s)];
}

}  // namespace daliz
