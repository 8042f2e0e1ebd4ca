#include "stdlib/reference_data.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

namespace daliz {
namespace {

TEST_CASE("reference data: ISO 3166 countries", "[stdlib]") {
  CHECK(countryIndex("KZ") == ('K' - 'A') * 26 + ('Z' - 'A'));
  CHECK(countryIndex("CN"));
  CHECK(countryIndex("GB"));
  CHECK(countryIndex("AF"));
  CHECK(countryIndex("AD") == 3);
  CHECK(countryCode(*countryIndex("KZ")) == "KZ");
  CHECK(countryCode(0) == "AA");  // letters of any index, assigned or not
  CHECK(countryCode(kCountryIndexCount) == "");
}

TEST_CASE("reference data: non-ISO country spellings are unknown", "[stdlib]") {
  for (const char* code : {"UK", "EL", "XK", "EU", "kz", "Kz", "KAZ", "K", "", " KZ", "K1"}) {
    INFO("code: " << code);
    CHECK_FALSE(countryIndex(code));
  }
}

TEST_CASE("reference data: aliases name their ISO code", "[stdlib]") {
  CHECK(countryAlias("UK") == "GB");
  CHECK(countryAlias("EL") == "GR");
  CHECK(countryIndex(*countryAlias("UK")));
  CHECK(countryIndex(*countryAlias("EL")));
  CHECK_FALSE(countryAlias("XK"));
  CHECK_FALSE(countryAlias("GB"));
  CHECK_FALSE(countryAlias("uk"));
}

TEST_CASE("reference data: the whole country list", "[stdlib]") {
  const auto& codes = allCountryCodes();
  CHECK(codes.size() == 249);
  CHECK(std::is_sorted(codes.begin(), codes.end()));
  CHECK(codes.front() == "AD");
  CHECK(codes.back() == "ZW");
  for (const auto& code : codes) REQUIRE(countryIndex(code));
}

TEST_CASE("reference data: country names, including quoted CSV fields", "[stdlib]") {
  CHECK(countryName("KZ") == "Kazakhstan");
  CHECK(countryName("BO") == "Bolivia, Plurinational State of");
  CHECK(countryName("CI") == "C\xC3\xB4te d'Ivoire");
  CHECK(countryName("UK") == "");
}

TEST_CASE("reference data: ISO 4217 currencies", "[stdlib]") {
  CHECK(currencyIndex("KZT") == (('K' - 'A') * 26 + ('Z' - 'A')) * 26 + ('T' - 'A'));
  CHECK(currencyIndex("USD"));
  CHECK(currencyIndex("EUR"));
  CHECK(currencyIndex("RUB"));
  CHECK(currencyCode(*currencyIndex("EUR")) == "EUR");
  CHECK(currencyCode(kCurrencyIndexCount) == "");
  for (const char* code : {"ABC", "usd", "US", "USDT", "", "RUR"}) {
    INFO("code: " << code);
    CHECK_FALSE(currencyIndex(code));
  }
  CHECK(currencyName("KZT") == "Tenge");
  CHECK(currencyName("USD") == "US Dollar");
  const auto& codes = allCurrencyCodes();
  CHECK(codes.size() == 181);
  CHECK(std::is_sorted(codes.begin(), codes.end()));
  CHECK(std::count(codes.begin(), codes.end(), "KZT") == 1);
}

TEST_CASE("reference data: HS 2022 chapters, headings, subheadings", "[stdlib]") {
  CHECK(hsNomenclatureHas("61"));
  CHECK(hsNomenclatureHas("6109"));
  CHECK(hsNomenclatureHas("610910"));
  CHECK(hsNomenclatureHas("01"));
  CHECK(hsNomenclatureHas("0101"));
  CHECK_FALSE(hsNomenclatureHas("6199"));  // chapter 61 ends at heading 6117
  CHECK_FALSE(hsNomenclatureHas("6118"));
  CHECK_FALSE(hsNomenclatureHas("77"));          // reserved for future use
  CHECK_FALSE(hsNomenclatureHas("6109100000"));  // national subdivisions are not listed
  CHECK_FALSE(hsNomenclatureHas("TOTAL"));
  CHECK_FALSE(hsNomenclatureHas(""));
  CHECK_FALSE(hsNomenclatureHas("1"));
}

TEST_CASE("reference data: HS descriptions", "[stdlib]") {
  CHECK(hsDescription("61") == "Apparel and clothing accessories; knitted or crocheted");
  CHECK(hsDescription("6109") == "T-shirts, singlets and other vests; knitted or crocheted");
  CHECK(hsDescription("610910") ==
        "T-shirts, singlets and other vests; of cotton, knitted or crocheted");
  CHECK(hsDescription("0101") == "Horses, asses, mules and hinnies; live");
  CHECK(hsDescription("6199") == "");
}

TEST_CASE("reference data: concurrent first use sees one table", "[stdlib]") {
  // The tables may already be loaded by earlier tests; this checks concurrent reads at least.
  bool ok[4] = {};
  std::vector<std::thread> threads;
  for (bool& result : ok)
    threads.emplace_back([&result] {
      result = countryIndex("KZ") && currencyIndex("KZT") && hsNomenclatureHas("6109");
    });
  for (auto& t : threads) t.join();
  CHECK(std::all_of(std::begin(ok), std::end(ok), [](bool b) { return b; }));
}

}  // namespace
}  // namespace daliz
