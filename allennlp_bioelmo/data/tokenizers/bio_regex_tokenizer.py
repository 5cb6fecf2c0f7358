"""
The `bio_regex` tokenizer: an offline biomedical word tokenizer with character offsets.
"""

import re
from typing import Iterable, List, Optional

from allennlp.data.tokenizers.token_class import Token
from allennlp.data.tokenizers.tokenizer import Tokenizer

# The rule, chosen to reproduce how the biomedical IOB corpora (NCBI-disease, BC2GM, BC5CDR,
# JNLPBA as redistributed by BioBERT / SciBERT / MTL-Bioinformatics-2016) are tokenized:
#   1. numbers with a decimal point or thousands comma stay whole: "0.05", "1,024";
#   2. maximal runs of letters and digits are one token; letters include Greek and any other
#      Unicode letter, so "p53", "BRCA1", "α1" and "TNFα" stay whole;
#   3. every other visible character is a token of its own: punctuation, brackets, slashes,
#      hyphens, quotes, "%", "+", ... ("IL-2" -> "IL - 2", "mg/kg" -> "mg / kg").
# (Deviation: BC2GM's own release also splits decimals; rule 1 keeps them whole.)
TOKEN_PATTERN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+|\S")


@Tokenizer.register("bio_regex")
class BioRegexTokenizer(Tokenizer):
    """
    An offline biomedical word tokenizer that keeps character offsets (`Token.idx` and
    `Token.idx_end`) into the input text. No model, no download. The rule is documented at
    `TOKEN_PATTERN` above.

    Registered as a `Tokenizer` with name "bio_regex".

    # Parameters

    lowercase : `bool`, optional (default = `False`)
        Lowercase token texts (offsets still point into the original text).
    """

    def __init__(self, lowercase: bool = False) -> None:
        self._lowercase = lowercase

    def tokenize(self, text: str) -> List[Token]:
        return self.tokenize_span(text, 0, len(text))

    def tokenize_span(
        self, text: str, start: int, end: int, split_at: Optional[Iterable[int]] = None
    ) -> List[Token]:
        """
        Tokens of `text[start:end]` with offsets into `text`. Every offset in `split_at` becomes a
        token boundary even inside a token (so an annotated span that ends mid-word, like
        "BRCA1" in "BRCA1mutation", still gets tokens of its own).
        """
        cuts = sorted(set(split_at or ()))
        tokens = []
        for match in TOKEN_PATTERN.finditer(text, start, end):
            piece_start = match.start()
            for cut in cuts:
                if piece_start < cut < match.end():
                    tokens.append(self._token(text, piece_start, cut))
                    piece_start = cut
            tokens.append(self._token(text, piece_start, match.end()))
        return tokens

    def _token(self, text: str, start: int, end: int) -> Token:
        piece = text[start:end]
        return Token(piece.lower() if self._lowercase else piece, idx=start, idx_end=end)
