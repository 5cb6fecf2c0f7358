"""
The error every reader of a data file raises for malformed input, from the document formats up to
the dataset readers, so that a user sees the same kind of message everywhere: the file, the line,
and what was expected.
"""


class DataFormatError(ValueError):
    """
    Malformed input: the message names the file, the line (1-based; 0 = whole file), the problem.
    """

    def __init__(self, file_path: str, line_number: int, message: str) -> None:
        where = f"{file_path}, line {line_number}" if line_number else file_path
        super().__init__(f"{where}: {message}")
        self.file_path = file_path
        self.line_number = line_number
