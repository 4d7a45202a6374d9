"""Fine-grained distillation (QSD paper, sec. "upper level"): the Q, K and V maps of an ANN
teacher's attention layers guide the distributions of the student's Q-SDSA spikes.

The release has no code for it; this is our reading: for every attention layer and each of
Q, K, V, the time-averaged map of each channel is turned into a distribution over tokens
(softmax with temperature ``tau``) and the student's is pulled to the teacher's with
``tau^2 * KL(teacher || student)``, averaged over layers, maps, channels and samples.
"""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import QSDSA


class QKVRecorder:
    """Keeps the outputs of the Q/K/V neurons of every :class:`QSDSA` in ``model`` while
    :attr:`active`; :meth:`take` returns them in layer order and clears the record."""

    def __init__(self, model: nn.Module) -> None:
        self.active = False
        self.maps: List[torch.Tensor] = []
        self.num_layers = 0
        for module in model.modules():
            if isinstance(module, QSDSA):
                self.num_layers += 1
                for name in ('q_lif', 'k_lif', 'v_lif'):
                    getattr(module, name).register_forward_hook(self._hook)

    def _hook(self, module, args, output) -> None:
        if self.active:
            self.maps.append(output)

    def take(self) -> List[torch.Tensor]:
        maps, self.maps = self.maps, []
        return maps


def qkv_distribution_loss(student: List[torch.Tensor], teacher: List[torch.Tensor],
                          tau: float = 1.0) -> torch.Tensor:
    """``tau^2 * KL(p_teacher || p_student)`` of per-channel token distributions, averaged.

    Args:
        student / teacher: matching ``[T, B, C, H, W]`` maps (time steps may differ).
    """
    if len(student) != len(teacher) or not student:
        raise ValueError(f'distillation needs matching Q/K/V maps: the student gave '
                         f'{len(student)}, the teacher {len(teacher)}')
    losses = []
    for s, t in zip(student, teacher):
        if s.shape[1:] != t.shape[1:]:
            raise ValueError(f'distillation: student map {tuple(s.shape[1:])} and teacher map '
                             f'{tuple(t.shape[1:])} differ; the teacher must be the same '
                             'architecture')
        log_p_s = F.log_softmax(s.mean(0).flatten(2) / tau, dim=-1)
        log_p_t = F.log_softmax(t.mean(0).flatten(2) / tau, dim=-1)
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(-1)  # [B, C]
        losses.append(kl.mean() * tau ** 2)
    return torch.stack(losses).mean()


class _InjectLoss(torch.autograd.Function):
    """Identity on ``x`` whose backward also sends ``weight`` into ``loss``: adds ``weight *
    loss`` to whatever objective is back-propagated through ``x``, so a backbone can add a
    loss without the detector or segmentor knowing."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, loss: torch.Tensor, weight: float):  # type: ignore
        ctx.weight = weight
        ctx.loss_shape = loss.shape
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore
        return grad, grad.new_full(ctx.loss_shape, ctx.weight), None


def inject_loss(outputs: List[torch.Tensor], loss: torch.Tensor, weight: float
                ) -> List[torch.Tensor]:
    """Attach ``weight * loss`` to ``outputs`` (shared equally, so a head that uses all of them
    back-propagates exactly ``weight * loss``)."""
    share = weight / len(outputs)
    return [_InjectLoss.apply(o, loss, share) for o in outputs]


def build_teacher(teacher: Union[str, dict], checkpoint: Optional[str] = None) -> nn.Module:
    """Build a frozen teacher backbone from a config file (its ``model.backbone``) or a
    backbone config dict, optionally loading ``checkpoint`` (this toolkit's layout)."""
    from mmengine.config import Config

    from mmplugins.models.utils import load_backbone_checkpoint
    from mmplugins.registry import MODELS
    if isinstance(teacher, str):
        cfg = Config.fromfile(teacher)
        if 'model' not in cfg or 'backbone' not in cfg.model:
            raise KeyError(f'distill teacher config {teacher!r} has no model.backbone')
        teacher = cfg.model.backbone.to_dict()
    model = MODELS.build(dict(teacher))
    if checkpoint is not None:
        load_backbone_checkpoint(model, checkpoint)
    model.eval()
    for p in model.parameters():
        p.requires_grad = False
    return model


def distill_settings(cfg: Optional[dict]) -> Optional[Dict]:
    """Validate a ``distill`` dict: ``teacher`` (config path or backbone dict), optional
    ``checkpoint``, ``loss_weight`` (1.0) and ``tau`` (1.0)."""
    if cfg is None:
        return None
    unknown = set(cfg) - {'teacher', 'checkpoint', 'loss_weight', 'tau'}
    if 'teacher' not in cfg or unknown:
        raise KeyError("distill needs 'teacher' (a config file or backbone dict) and accepts "
                       f"'checkpoint', 'loss_weight', 'tau'; got {sorted(cfg)}")
    return dict(teacher=cfg['teacher'], checkpoint=cfg.get('checkpoint'),
                loss_weight=float(cfg.get('loss_weight', 1.0)), tau=float(cfg.get('tau', 1.0)))
