// Set storage and membership tests. Sizes are unbounded: the original kept
// sets in fixed arrays and overflowed past ~128 entries.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>

#include "bullion/trace/policy.h"

namespace bullion::trace {

struct SetData::Pattern {
  pcre2_code* code = nullptr;
  pcre2_match_data* match = nullptr;
  ~Pattern() {
    if (match) pcre2_match_data_free(match);
    if (code) pcre2_code_free(code);
  }
};

SetData::SetData(SetType type) : type_(type) {}
SetData::~SetData() = default;

const char* set_type_name(SetType type) {
  switch (type) {
    case SetType::Auid:
      return "auid";
    case SetType::Euid:
      return "euid";
    case SetType::Ruid:
      return "ruid";
    case SetType::Egid:
      return "egid";
    case SetType::Rgid:
      return "rgid";
    case SetType::AuditEvent:
      return "auditevent";
    case SetType::AuditClass:
      return "auditclass";
    case SetType::Path:
      return "path";
    case SetType::Pcre:
      return "pcre";
    case SetType::LogChannel:
      return "logchannel";
  }
  return "?";
}

bool is_subject_type(SetType type) {
  return type == SetType::Auid || type == SetType::Euid || type == SetType::Ruid || type == SetType::Egid ||
         type == SetType::Rgid;
}

void SetData::add_number(uint32_t value) {
  ++count_;
  if (type_ == SetType::AuditClass)
    class_mask_ |= value;
  else
    numbers_.push_back(value);
}

void SetData::add_path(std::string_view prefix) {
  ++count_;
  prefixes_.emplace_back(prefix);
}

std::string SetData::add_pattern(std::string_view pattern) {
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  auto compiled = std::make_unique<Pattern>();
  compiled->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), 0, &error, &error_offset, nullptr);
  if (!compiled->code) {
    PCRE2_UCHAR text[256];
    pcre2_get_error_message(error, text, sizeof text);
    return "bad regular expression at offset " + std::to_string(error_offset) + ": " +
           reinterpret_cast<const char*>(text);
  }
  // JIT is an optimisation: where it is unavailable the interpreter still works.
  (void)pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  compiled->match = pcre2_match_data_create_from_pattern(compiled->code, nullptr);
  ++count_;
  patterns_.push_back(std::move(compiled));
  pattern_texts_.emplace_back(pattern);
  return {};
}

void SetData::merge(const SetData& other) {
  for (uint32_t n : other.numbers_) add_number(n);
  if (other.class_mask_) {
    class_mask_ |= other.class_mask_;
    count_ += other.count_;
  }
  for (const auto& p : other.prefixes_) add_path(p);
  for (const auto& t : other.pattern_texts_) (void)add_pattern(t);  // compiled before
}

void SetData::seal() {
  std::sort(numbers_.begin(), numbers_.end());
  numbers_.erase(std::unique(numbers_.begin(), numbers_.end()), numbers_.end());
  prefix_index_.assign(prefixes_.begin(), prefixes_.end());
  std::sort(prefix_index_.begin(), prefix_index_.end());
  prefix_index_.erase(std::unique(prefix_index_.begin(), prefix_index_.end()), prefix_index_.end());
  prefix_lengths_.clear();
  for (auto p : prefix_index_) prefix_lengths_.push_back(p.size());
  std::sort(prefix_lengths_.begin(), prefix_lengths_.end());
  prefix_lengths_.erase(std::unique(prefix_lengths_.begin(), prefix_lengths_.end()), prefix_lengths_.end());
}

bool SetData::contains_number(uint32_t value) const {
  return std::binary_search(numbers_.begin(), numbers_.end(), value);
}

// Path sets match by plain prefix, as the original's strncmp did (so /bin
// also matches /binx). One exact lookup per distinct prefix length keeps
// this cheap for sets of any size.
bool SetData::matches_path(std::string_view path) const {
  if (type_ == SetType::Pcre) {
    for (const auto& p : patterns_) {
      int rc = pcre2_match(p->code, reinterpret_cast<PCRE2_SPTR>(path.data()), path.size(), 0, 0, p->match, nullptr);
      if (rc >= 0) return true;
    }
    return false;
  }
  for (size_t length : prefix_lengths_) {
    if (length > path.size()) break;
    if (std::binary_search(prefix_index_.begin(), prefix_index_.end(), path.substr(0, length))) return true;
  }
  return false;
}

}  // namespace bullion::trace
