"""Jupyter's own conformance suite (jupyter_kernel_test) against the storyreel kernel.

Run by tests/frontends/kernel_jupyter.rs with JUPYTER_PATH pointing at a freshly installed kernelspec.
"""

import os
import unittest

import jupyter_kernel_test

HERE = os.path.dirname(os.path.abspath(__file__))
PNG = os.path.join(HERE, "..", "..", "scripts", "images", "lantern.png").replace("\\", "/")


class StoryreelKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("STORYREEL_KERNEL_NAME", "storyreel")
    language_name = "rhai"
    file_extension = ".rhai"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'debug("to stderr")'

    completion_samples = [
        {"text": "sto", "matches": ["story", "story_file"]},
        {"text": "clear_o", "matches": ["clear_output"]},
        {"text": 'let tale = story("T", "Once."); tale.spl', "matches": ["split"]},
        {"text": 'let tale = story("T", "Once."); tale.scene(0).pro', "matches": ["prompt"]},
        {"text": "let abcde = 1; abcd", "matches": ["abcde"]},
    ]
    complete_code_samples = ["1 + 1", "let x = 1;", "fn f(a) { a }", "// just a comment"]
    incomplete_code_samples = ["fn f(a) {", "[1, 2,", "1 +", "let s = `multi", "/* open"]
    invalid_code_samples = ["let = 5", "let x = 1; }"]

    code_page_something = "story?"
    code_generate_error = 'throw "this cell fails"'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"sto" + "ry"', "result": "story"},
        {"code": 'story("T", "Once.")', "mime": "text/html"},
    ]
    code_display_data = [
        {"code": f'show(image("{PNG}"))', "mime": "image/png"},
        {"code": 'show(story("T", "Once."))', "mime": "text/html"},
    ]

    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "story"
    code_clear_output = "clear_output()"


if __name__ == "__main__":
    unittest.main()
