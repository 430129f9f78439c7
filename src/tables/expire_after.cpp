// expire-after: `10M`, `60d`, `1y OR 500M`, `10M AND 30d`.
#include <cctype>

#include "bullion/tables.h"
#include "tables/quantity.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

Error expire_error(std::string_view text, std::string_view why) {
  return Error{Errc::Parse, 0, 0, "expire-after '" + std::string(text) + "': " + std::string(why)};
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Words separated by blanks: one term, or term JOIN term.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::string_view part : detail::split_collapsing(text, ' ')) {
    for (std::string_view word : detail::split_collapsing(part, '\t')) out.push_back(word);
  }
  return out;
}

// Puts one term into its slot; each of age and size may appear once.
std::optional<std::string> add_term(ExpireAfter& expire, std::string_view word) {
  auto quantity = detail::parse_quantity(word);
  if (!quantity) return "bad term '" + std::string(word) + "'";
  auto& slot = quantity->kind == detail::Quantity::Kind::Seconds ? expire.age_seconds : expire.size_bytes;
  if (slot) return "age and size may each appear once";
  slot = quantity->value;
  return std::nullopt;
}

}  // namespace

Result<ExpireAfter> parse_expire_after(std::string_view text) {
  auto parts = words(text);
  if (parts.size() != 1 && parts.size() != 3) return expire_error(text, "want TERM or TERM AND|OR TERM");
  ExpireAfter expire;
  if (parts.size() == 3) {
    if (equals_ignoring_case(parts[1], "and")) {
      expire.join = ExpireAfter::Join::And;
    } else if (equals_ignoring_case(parts[1], "or")) {
      expire.join = ExpireAfter::Join::Or;
    } else {
      return expire_error(text, "join terms with AND or OR");
    }
  }
  for (size_t i = 0; i < parts.size(); i += 2) {
    if (auto why = add_term(expire, parts[i])) return expire_error(text, *why);
  }
  return expire;
}

}  // namespace bullion::tables
