//! Images and showing values: `image`, `show`, `clear_output`, and the Image type.

use super::{member, Spec};

pub const SPECS: &[Spec] = &[
    member("image", "image(path)", "Image", "An image file (PNG or JPEG), e.g. a reference or a hand-made pick."),
    member("show", "show(value)", "", "Displays any value now, like IPython's display(); the last value of a cell is shown anyway."),
    member("clear_output", "clear_output([wait])", "", "Clears the cell's output so far (in Jupyter); with wait = true, only when new output arrives."),
    member("Image.path", "img.path", "string", "The image file."),
    member("Image.width", "img.width", "int", "Width in pixels."),
    member("Image.height", "img.height", "int", "Height in pixels."),
    member("Table.rows", "t.rows", "", "The table's cells, an array of rows, each an array of strings (s.cast, s.prompts)."),
];
