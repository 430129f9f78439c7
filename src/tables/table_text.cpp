#include "tables/table_text.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bullion::tables::detail {

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  size_t start = 0;
  int number = 1;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view body = text.substr(start, end - start);
    // Files edited on Windows keep working; OpenBSM would keep the '\r'.
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    lines.push_back(Line{body, start, number++});
    start = end + 1;
  }
  return lines;
}

bool is_blank_or_comment(std::string_view line) {
  std::string_view body = trim(line);
  return body.empty() || body.front() == '#';
}

std::vector<std::string_view> split_collapsing(std::string_view text, char delimiter) {
  std::vector<std::string_view> fields;
  for (std::string_view field : split_exact(text, delimiter)) {
    if (!field.empty()) fields.push_back(field);
  }
  return fields;
}

std::vector<std::string_view> split_exact(std::string_view text, char delimiter) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t end = text.find(delimiter, start);
    if (end == std::string_view::npos) {
      fields.push_back(text.substr(start));
      return fields;
    }
    fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

static std::optional<uint64_t> parse_base(std::string_view text, int base) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_decimal(std::string_view text) { return parse_base(text, 10); }

std::optional<uint64_t> parse_c_number(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return parse_base(text.substr(2), 16);
  }
  return parse_base(text, 10);
}

Error line_error(const Line& line, std::string_view why) {
  return Error{Errc::Parse, line.offset, 0, "line " + std::to_string(line.number) + ": " + std::string(why)};
}

static Errc errno_code(int error) {
  if (error == ENOENT || error == ENOTDIR) return Errc::NotFound;
  if (error == EACCES || error == EPERM) return Errc::Permission;
  return Errc::Io;
}

Result<std::string> read_text_file(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    return Error{errno_code(error), 0, 0, path + ": " + std::strerror(error ? error : EIO)};
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return Error{Errc::Io, 0, 0, path + ": read failed"};
  return content.str();
}

Error in_file(Error error, const std::string& path) {
  error.message = path + ": " + (error.message.empty() ? errc_text(error.code) : error.message);
  return error;
}

}  // namespace bullion::tables::detail
