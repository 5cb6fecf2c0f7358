"""
The context-insensitive half of the biLM: character embedding -> char CNN -> highways -> projection.
"""

import torch

from allennlp_bioelmo.file_formats.bilm_options import BiLmOptions


class CharacterEncoder(torch.nn.Module):
    """
    Maps character ids `(batch, timesteps, max_characters_per_token)` to token vectors
    `(batch, timesteps, projection_dim)`, as bilm-tf's char CNN does:

    1. embed each character id (id 0, a padded token's characters, embeds to zeros);
    2. one 1-d convolution per `[width, number]` filter, max over positions, then the activation;
    3. `n_highway` highway layers, each `g * relu(x W_t + b_t) + (1 - g) * x` with
       `g = sigmoid(x W_c + b_c)` (TF's carry-gate convention, so weights load unchanged);
    4. a linear projection to the LSTM width (none when the widths already agree).
    """

    def __init__(self, options: BiLmOptions) -> None:
        super().__init__()
        self.options = options
        self.char_embedding = torch.nn.Embedding(options.n_characters, options.char_embedding_dim)
        self.convolutions = torch.nn.ModuleList(
            torch.nn.Conv1d(options.char_embedding_dim, num, kernel_size=width, bias=True)
            for width, num in options.filters
        )
        n_filters = options.n_filters
        # Each highway's rows: first the transform block, then the carry-gate block.
        self.highways = torch.nn.ModuleList(
            torch.nn.Linear(n_filters, 2 * n_filters) for _ in range(options.n_highway)
        )
        self.projection = (
            torch.nn.Linear(n_filters, options.projection_dim)
            if n_filters != options.projection_dim
            else None
        )
        self._activation = torch.relu if options.activation == "relu" else torch.tanh

    # The widest filter's windows for this many tokens take about 40 MB at BioELMo's size.
    tokens_per_chunk = 256

    def _convolve(self, character_ids: torch.Tensor) -> torch.Tensor:
        """
        Char CNN for `(tokens, chars)` ids -> `(tokens, n_filters)`. Each filter is one matrix
        product over all character windows (faster on CPU than conv1d for these shapes); the bias
        is added after the max over positions, which is exact because the bias is position-free.
        """
        embedded = self.char_embedding(character_ids)  # (tokens, chars, dim)
        num_tokens, num_chars, dim = embedded.shape
        pooled = []
        for convolution in self.convolutions:
            width = convolution.kernel_size[0]
            # (tokens, positions, dim, width) -> rows of dim * width, matching conv1d's weight
            # layout
            windows = embedded.unfold(1, width, 1).reshape(-1, dim * width)
            scores = torch.mm(windows, convolution.weight.view(convolution.out_channels, -1).t())
            best = scores.view(num_tokens, num_chars - width + 1, -1).max(dim=1).values
            pooled.append(self._activation(best + convolution.bias))
        return torch.cat(pooled, dim=-1)

    def get_output_dim(self) -> int:
        return self.options.projection_dim

    def forward(self, character_ids: torch.Tensor) -> torch.Tensor:
        """
        `(batch, timesteps, max_characters)` ids -> `(batch, timesteps, projection_dim)` vectors.
        """
        batch_size, timesteps, num_chars = character_ids.shape
        flat_ids = character_ids.reshape(-1, num_chars)
        tokens = torch.cat(
            [
                self._convolve(flat_ids[start : start + self.tokens_per_chunk])
                for start in range(0, flat_ids.shape[0], self.tokens_per_chunk)
            ],
            dim=0,
        )
        n_filters = tokens.shape[-1]
        for highway in self.highways:
            projected = highway(tokens)
            transformed = torch.relu(projected[:, :n_filters])
            carry_gate = torch.sigmoid(projected[:, n_filters:])
            tokens = carry_gate * transformed + (1.0 - carry_gate) * tokens
        if self.projection is not None:
            tokens = self.projection(tokens)
        return tokens.view(batch_size, timesteps, -1)
