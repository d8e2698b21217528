"""The bindspace-mini audio tower: a small VGG-style CNN over one (1, M, 204) log-mel clip -> unit 384-d vector."""
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F


def _block(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class AudioTower(nn.Module):
    """(B, 1, M, 204) normalised fbank -> (B, 384) unit vectors.

    5x5 stem conv with stride 2, then stride-2 3x3 conv stages and one stride-1 conv; frequency is averaged, time is pooled by mean+max
    (so short sounds padded with silence are not washed out), then a 2-layer projection head."""

    def __init__(self, widths=(32, 64, 128, 256), dim: int = 384, dropout: float = 0.1):
        super().__init__()
        w = widths
        layers = [nn.Conv2d(1, w[0], 5, stride=2, padding=2, bias=False), nn.BatchNorm2d(w[0]), nn.ReLU(inplace=True)]
        cin = w[0]
        for c in w[1:]:
            layers += [_block(cin, c, stride=2)]
            cin = c
        layers += [_block(cin, cin)]
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(2 * cin, 512), nn.ReLU(inplace=True), nn.Dropout(dropout),
                                  nn.Linear(512, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.features(x).mean(dim=2)  # (B, C, T)
        h = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        return F.normalize(self.head(h), dim=-1)


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())
