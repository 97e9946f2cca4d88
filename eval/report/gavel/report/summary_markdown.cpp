#include "gavel/report/summary_markdown.hpp"

#include "gavel/report/report_number_format.hpp"
#include "gavel/report/report_sections.hpp"

namespace gavel::report {
namespace {

std::string markdown_row(const std::vector<std::string>& cells) {
  std::string row = "|";
  for (const auto& cell : cells)
    row += " " + escape_markdown(cell) + " |";
  return row + "\n";
}

std::string markdown_table(const ReportTable& table) {
  std::string text = "**" + escape_markdown(table.caption) + "**\n\n" + markdown_row(table.header) + "|";
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    // Right-aligned when every cell of the column holds a number.
    bool numbers = !table.rows.empty();
    for (const auto& row : table.rows)
      numbers = numbers && c < row.size() && looks_numeric(row[c]);
    text += numbers ? " ---: |" : " --- |";
  }
  text += "\n";
  for (const auto& row : table.rows)
    text += markdown_row(row);
  return text + "\n";
}

}  // namespace

std::string escape_markdown(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // A closing bracket starts a link only when "(", "[" or ":" follows it, so intervals such as
    // [-0.1, 0.2] stay readable.
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == ']' && (next == '(' || next == '[' || next == ':')) {
      escaped += "\\]";
      continue;
    }
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '<':
      case '>':
      case '|':
      case '&':
      case '#':
        escaped += '\\';
        escaped += c;
        break;
      case '\n':
      case '\r':
        escaped += ' ';
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string summary_markdown(const nlohmann::json& report) {
  const auto document = report_document(report);
  std::string text;
  if (document.partial_banner) text += "> **" + escape_markdown(*document.partial_banner) + "**\n\n";
  text += "# " + escape_markdown(document.title) + "\n\n";
  if (!document.subtitle.empty()) text += escape_markdown(document.subtitle) + "\n\n";
  for (const auto& section : document.sections) {
    text += "## " + escape_markdown(section.title) + "\n\n";
    for (const auto& paragraph : section.paragraphs)
      text += escape_markdown(paragraph) + "\n\n";
    for (const auto& table : section.tables)
      text += markdown_table(table);
  }
  return text;
}

}  // namespace gavel::report
