"""Shift-Tab (inspect_request) and Tab (complete_request) wherever the cursor is in a call."""

import unittest

from kernel_session import KernelTestCase


class HelpAndCompletion(KernelTestCase):
    setup_code = 'let s = story("T", "One.\\n\\nTwo.");'

    def inspect(self, marked):
        code, pos = self.at_cursor(marked)
        reply = self.kc.inspect(code, pos, reply=True, timeout=30)["content"]
        self.assertEqual(reply["status"], "ok")
        return reply

    def signature(self, marked):
        reply = self.inspect(marked)
        self.assertTrue(reply["found"], f"nothing found at {marked!r}")
        return reply["data"]["text/plain"]

    def matches(self, marked):
        code, pos = self.at_cursor(marked)
        reply = self.kc.complete(code, pos, reply=True, timeout=30)["content"]
        self.assertEqual(reply["status"], "ok")
        return reply["matches"]

    def test_help_inside_the_brackets_of_a_call(self):
        self.assertTrue(self.signature("story(|").startswith("story(title, text) -> Story"))
        text = self.signature("sd_generate(s, |")
        self.assertTrue(text.startswith("sd_generate(prompt | scene | story"), text)
        self.assertIn("candidates", text)
        self.assertTrue(self.signature("render(s, #{ |").startswith("render(story, #{"))
        for marked in ['s.split(#{ by: "|x" })', 's.split(#{ b|y: "x" })', 's.split(#{ by: "x" }|)']:
            text = self.signature(marked)
            self.assertTrue(text.startswith("s.split(#{ by, max_words"), (marked, text))
            self.assertIn("\nOptions:\n  by ", text)
            self.assertRegex(text, r"\n  max_words +the most words .*default 45")

    def test_help_on_the_name_under_the_cursor_outside_calls(self):
        self.assertTrue(self.signature("s.spl|it").startswith("s.split("))
        self.assertFalse(self.inspect("zzz|")["found"])

    def test_option_names_complete_inside_a_map_argument(self):
        self.assertEqual(self.matches("s.split(#{ max_|"), ["max_words"])
        self.assertEqual(self.matches('s.split(#{ by: "words", mi|'), ["min_words"])
        self.assertEqual(self.matches("sd_generate(s, #{ n|"), ["n", "negative"])
        self.assertEqual(self.matches("sd_generate(s.scene(0), #{ n: 4, se|"), ["seed"])
        # In a map nested in the options, and the named values of an option in its string.
        self.assertEqual(self.matches("render(s, #{ caption_style: #{ po|"), ["position"])
        self.assertEqual(self.matches('s.split(#{ by: "w|'), ["words"])
        # Outside the map, names in scope as before.
        self.assertIn("story", self.matches("sto|"))


if __name__ == "__main__":
    unittest.main()
