#include "bench/reference_eval.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "bench/native_support.h"

namespace daliz::bench {

namespace {

bool inHs(const std::vector<HsElement>& S, uint64_t h) {
  for (const HsElement& e : S) {
    uint64_t scale = 1;
    for (int k = e.length; k < 10; ++k) scale *= 10;
    if (h >= e.low * scale && h <= (static_cast<uint64_t>(e.high) + 1) * scale - 1) return true;
  }
  return false;
}
bool inList(const std::vector<uint16_t>& O, uint16_t o) { return std::find(O.begin(), O.end(), o) != O.end(); }

const RE2& regex(const ProfileDescription& p) {
  static std::map<std::string, std::unique_ptr<RE2>> cache;
  auto& re = cache[regexOf(p)];
  if (!re) re = std::make_unique<RE2>(regexOf(p));
  return *re;
}

}  // namespace

void referenceEvaluate(const ProfileSet& set, const Declaration& d, std::vector<uint32_t>& hits) {
  hits.clear();
  for (const ProfileDescription& p : set.profiles) {
    if (p.suspended || d.registered < p.validFrom || d.registered > p.validTo) continue;
    auto sampled = [&](int64_t no) { return p.sampleBp >= 10000 || sampledHash(p.id, d.id, no, p.sampleBp); };
    if (p.itemScope) {
      for (const Item& i : d.items) {
        bool fire = inHs(p.hs, i.hs);
        if (fire && p.kind == ProfileKind::HsOrigin) fire = inList(p.origins, i.origin) && (p.netAboveG < 0 || i.netG > p.netAboveG);
        if (fire && p.kind == ProfileKind::Value) {
          double r = nativeRefPrice(i.hs, i.origin);
          fire = (p.origins.empty() || inList(p.origins, i.origin)) && r >= 0 && i.customs / i.net < r * (p.pct / 100.0);
        }
        if (fire && p.kind == ProfileKind::Regex)
          fire = (p.netAboveG < 0 || i.netG > p.netAboveG) && RE2::PartialMatch(i.description, regex(p));
        if (fire && sampled(i.no)) hits.push_back(p.index << 10 | static_cast<uint32_t>(i.no));
      }
      continue;
    }
    bool fire = false;
    switch (p.kind) {
      case ProfileKind::Participant:
        fire = (d.declarant.category < 0 ? 2 : d.declarant.category) >= p.minCategory && d.procedure == p.procedure &&
               (p.borderMode.empty() || d.borderMode == p.borderMode) && (p.dispatch.empty() || inList(p.dispatch, d.dispatch)) &&
               (p.totalAboveCents < 0 || d.totalCents > p.totalAboveCents);
        break;
      case ProfileKind::Count: {
        int n = 0;
        for (const Item& i : d.items) n += inHs(p.hs, i.hs);
        fire = n >= p.countAtLeast;
        break;
      }
      case ProfileKind::Any:
        if (d.borderMode == p.borderMode)
          for (const Item& i : d.items) fire |= inHs(p.hs, i.hs) && inList(p.origins, i.origin);
        break;
      case ProfileKind::HeavyCheap: {
        int64_t g = 0;
        for (const Item& i : d.items) g += i.grossG;
        fire = d.totalCents < p.totalBelowCents && g > p.grossSumAboveG;
        break;
      }
      case ProfileKind::Sample:
        if (d.procedure == p.procedure)
          for (const Item& i : d.items) fire |= inHs(p.hs, i.hs);
        break;
      default: break;
    }
    if (fire && sampled(0)) hits.push_back(p.index << 10);
  }
}

}  // namespace daliz::bench
