// How a clearance system embeds daliz (docs/embedding.md): load the approved bundle once,
// give each worker thread a Session, and decide each registered declaration — here one
// built in code and one received as JSON.
//
//   daliz_embed_sample BUNDLE [APPROVER.pub]
//
// With an approver's public key, only a bundle that approver signed is loaded; without one, the
// development policy accepts unsigned bundles (never in production).
#include <daliz/daliz.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: daliz_embed_sample BUNDLE [APPROVER.pub]\n";
    return 1;
  }
  std::string error;
  daliz::api::TrustPolicy policy = daliz::api::TrustPolicy::development();
  if (argc == 3) {
    policy = daliz::api::TrustPolicy{};
    if (!policy.addKeyFile(argv[2], error)) {
      std::cerr << error << "\n";
      return 1;
    }
  }
  std::shared_ptr<const daliz::api::Engine> engine = daliz::api::Engine::loadFile(argv[1], policy, error);
  if (!engine) {
    std::cerr << "cannot load the bundle: " << error << "\n";
    return 1;
  }
  std::cout << "bundle " << engine->contentHash() << ", " << engine->profileCount() << " profiles\n";
  daliz::api::Session session(engine);

  using daliz::api::Record;
  Record item;
  item.set("no", 1)
      .set("hs_code", "6109100000")
      .set("description", "T-shirts, cotton")
      .set("origin", "AF")
      .set("gross_weight", "110")
      .set("net_weight", "100")
      .set("procedure", "4000000")
      .set("valuation_method", 1)
      .set("customs_value", "450")
      .set("documents", Record::List{Record().set("kind", "04021")});
  Record party;
  party.set("name", "Importer LLP").set("country", "KZ").set("category", "medium");
  Record declaration;
  declaration.set("id", "EMB-1")
      .set("registered", "2025-03-01")
      .set("direction", "IM")
      .set("procedure", "40")
      .set("customs_office", "55301")
      .set("exporter", Record().set("name", "Exporter").set("country", "AF"))
      .set("consignee", party)
      .set("declarant", party)
      .set("trading_country", "AF")
      .set("dispatch_country", "AF")
      .set("destination_country", "KZ")
      .set("container", false)
      .set("contract_currency", "USD")
      .set("border_transport_mode", "30")
      .set("total_customs_value", "450")
      .set("items", Record::List{item});

  for (const daliz::api::Decision& d :
       {session.decide(declaration), session.decide(R"({"id":"EMB-2","registered":"2025-02-30"})")}) {
    if (!d.ok) {
      std::cout << d.id.value_or("(no id)") << ": cannot be evaluated: " << d.error << "\n";
      continue;
    }
    std::cout << d.id.value_or("") << ": " << d.corridor << "\n";
    for (const auto& hit : d.hits)
      std::cout << "  " << hit.profile << (hit.item ? " item " + std::to_string(*hit.item) : "") << " ("
                << hit.corridor << "): " << hit.reason << "\n";
  }
  return 0;
}
