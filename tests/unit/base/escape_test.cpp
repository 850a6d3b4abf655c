// Escaping of trace text for HTML and Markdown: every character that means something there.
#include <gtest/gtest.h>

#include "base/escape.hpp"

namespace fragreplay::report {
namespace {

TEST(HtmlEscape, MarkupBecomesText) {
  EXPECT_EQ(html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(html_escape("a&b \"q\" 'p'"), "a&amp;b &quot;q&quot; &#39;p&#39;");
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;") << "already-escaped text is escaped again";
  EXPECT_EQ(html_escape("NicS"), "NicS");
  EXPECT_EQ(html_escape(""), "");
}

TEST(HtmlEscape, ControlBytesCannotBreakTheDocument) {
  EXPECT_EQ(html_escape(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(html_escape("\x1b[31m"), "\xEF\xBF\xBD[31m");
  EXPECT_EQ(html_escape("tab\tnew\nline"), "tab\tnew\nline");
}

TEST(MarkdownEscape, TableAndInlineSyntax) {
  EXPECT_EQ(markdown_escape("a|b"), "a\\|b");
  EXPECT_EQ(markdown_escape("*x* _y_ `z` [l](u) ~s~"),
            "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~");
  EXPECT_EQ(markdown_escape("@team #12 !x"), "\\@team \\#12 \\!x");
  EXPECT_EQ(markdown_escape("<b>&"), "&lt;b&gt;&amp;");
  EXPECT_EQ(markdown_escape("two\nlines\r\n"), "two lines  ");
  EXPECT_EQ(markdown_escape("1.50 KiB (x)"), "1.50 KiB (x)") << "plain prose stays readable";
}

TEST(MarkdownCode, CodeSpanKeepsTablesIntact) {
  EXPECT_EQ(markdown_code("NicS"), "`NicS`");
  EXPECT_EQ(markdown_code("a|b"), "`a\\|b`");
  EXPECT_EQ(markdown_code("<b>"), "`<b>`") << "code spans show markup literally";
  EXPECT_EQ(markdown_code("a`b"), "a\\`b") << "a backtick would end the span: escaped instead";
}

}  // namespace
}  // namespace fragreplay::report
