// Accounts: a user side and a group side, each from a file or the system.
#include "bullion/tables.h"
#include "tables/account_sources.h"
#include "tables/table_text.h"

namespace bullion::tables {

namespace {

class SplitAccounts final : public Accounts {
 public:
  SplitAccounts(std::unique_ptr<detail::NameSource> users, std::unique_ptr<detail::NameSource> groups)
      : users_(std::move(users)), groups_(std::move(groups)) {}

  std::optional<std::string_view> user_name(uint32_t uid) override { return users_->name(uid); }
  std::optional<std::string_view> group_name(uint32_t gid) override { return groups_->name(gid); }
  std::optional<uint32_t> user_id(std::string_view name) override { return users_->id(name); }
  std::optional<uint32_t> group_id(std::string_view name) override { return groups_->id(name); }

 private:
  std::unique_ptr<detail::NameSource> users_;
  std::unique_ptr<detail::NameSource> groups_;
};

// An empty path means "ask the system" for that side.
Result<std::unique_ptr<detail::NameSource>> side(const std::string& path, detail::AccountKind kind) {
  if (path.empty()) return detail::system_names(kind);
  auto text = detail::read_text_file(path);
  if (!text) return text.error();
  return detail::file_names(*text);
}

}  // namespace

std::unique_ptr<Accounts> Accounts::system() {
  return std::make_unique<SplitAccounts>(detail::system_names(detail::AccountKind::User),
                                         detail::system_names(detail::AccountKind::Group));
}

Result<std::unique_ptr<Accounts>> Accounts::from_files(const std::string& passwd_path, const std::string& group_path) {
  auto users = side(passwd_path, detail::AccountKind::User);
  if (!users) return users.error();
  auto groups = side(group_path, detail::AccountKind::Group);
  if (!groups) return groups.error();
  return std::unique_ptr<Accounts>(std::make_unique<SplitAccounts>(std::move(*users), std::move(*groups)));
}

}  // namespace bullion::tables
