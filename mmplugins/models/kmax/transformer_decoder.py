"""kMaX transformer decoder: k-means cross-attention, query self-attention, FFN, and the
class/mask predictor run after every layer (deep supervision).

Module names follow the official PyTorch release without leading underscores (its
``_predcitor`` typo is spelled ``predictor`` here; the converter renames it).
"""
import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath

from .blocks import ConvBN, build_kmax_norm, tf_resize, trunc_normal_tf_

_GELU = dict(type='GELU')


def kmeans_cross_attention(mask_logits: torch.Tensor, pixel_value: torch.Tensor) -> torch.Tensor:
    """The k-means cluster update: every pixel votes for its arg-max cluster only.

    Args:
        mask_logits: ``(B, N, HW)`` pixel-to-cluster affinities (the layer's mask logits).
        pixel_value: ``(B, D, HW)`` pixel values.

    Returns:
        ``(B, D, N)``: for each cluster, the sum of the values of the pixels assigned to it.
        The hard assignment is a constant (no gradient flows through the arg-max).
    """
    with torch.no_grad():
        index = mask_logits.argmax(dim=1, keepdim=True)
        assignment = torch.zeros_like(mask_logits).scatter_(1, index, 1.0)
    update = torch.einsum('bnm,bdm->bdn', assignment.float(), pixel_value.float())
    return update.to(pixel_value.dtype)


def add_bias_towards_void(class_logits: torch.Tensor, void_prior_prob: float = 0.9) -> torch.Tensor:
    """Add the constant ``log(K * p / (1 - p))`` to the void (last) logit, as DeepLab2 does."""
    bias = torch.zeros(class_logits.shape[-1], dtype=class_logits.dtype, device=class_logits.device)
    bias[-1] = math.log((class_logits.shape[-1] - 1) * void_prior_prob / (1 - void_prior_prob))
    return class_logits + bias


class AttentionOperation(nn.Module):
    """Multi-head attention core with batch-normed logits and a BN + GELU on the output."""

    def __init__(self, value_channels: int, num_heads: int,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        self.batch_norm_similarity = build_kmax_norm(norm_cfg, num_heads, 2)
        self.batch_norm_retrieved_value = build_kmax_norm(norm_cfg, value_channels, 1)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
        """``(B, h, d, L)`` q/k and ``(B, h, c, L)`` v -> ``(B, h * c, L)``."""
        b, h, c, length = value.shape
        similarity = self.batch_norm_similarity(torch.einsum('bhdl,bhdm->bhlm', query, key))
        weights = F.softmax(similarity.float(), dim=-1).to(value.dtype)
        retrieved = torch.einsum('bhlm,bhdm->bhdl', weights, value).reshape(b, h * c, length)
        return F.gelu(self.batch_norm_retrieved_value(retrieved))


class KMaXPredictor(nn.Module):
    """Class logits, mask logits and L2-normalised pixel embeddings from queries and pixels.

    Args:
        pixel_in_channels: channels of the pixel feature.
        query_in_channels: channels of the class/mask query embeddings.
        num_classes: output logits including void (K + 1).
        pixel_head_channels: hidden width of the pixel head (official 256).
        embed_channels: dimension of the mask embedding space (official 128).
        norm_cfg: batch-norm config.
    """

    def __init__(self, pixel_in_channels: int, query_in_channels: int, num_classes: int,
                 pixel_head_channels: int = 256, embed_channels: int = 128,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        c = pixel_in_channels
        self.pixel_space_head_conv0bnact = ConvBN(c, c, kernel_size=5, groups=c, norm_cfg=norm_cfg,
                                                  act_cfg=_GELU, conv_init='xavier_uniform')
        self.pixel_space_head_conv1bnact = ConvBN(c, pixel_head_channels, norm_cfg=norm_cfg,
                                                  act_cfg=_GELU)
        self.pixel_space_head_last_convbn = ConvBN(pixel_head_channels, embed_channels, bias=True,
                                                   norm_cfg=norm_cfg)
        trunc_normal_tf_(self.pixel_space_head_last_convbn.conv.weight, std=0.01)
        self.transformer_mask_head = ConvBN(query_in_channels, embed_channels, norm_cfg=norm_cfg,
                                            conv_type='1d')
        self.transformer_class_head = ConvBN(query_in_channels, num_classes, bias=True,
                                             with_norm=False, conv_type='1d')
        trunc_normal_tf_(self.transformer_class_head.conv.weight, std=0.01)
        self.pixel_space_mask_batch_norm = build_kmax_norm(norm_cfg, 1, 3)
        nn.init.constant_(self.pixel_space_mask_batch_norm.weight, 0.1)

    def forward(self, mask_embeddings: torch.Tensor, class_embeddings: torch.Tensor,
                pixel_feature: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Embeddings ``(B, C, N)``, pixels ``(B, C, H, W)`` -> dict with ``class_logits``
        ``(B, N, K+1)``, ``mask_logits`` ``(B, N, H, W)``, ``pixel_feature`` ``(B, E, H, W)``."""
        pixel = self.pixel_space_head_conv0bnact(pixel_feature)
        pixel = self.pixel_space_head_conv1bnact(pixel)
        pixel = F.normalize(self.pixel_space_head_last_convbn(pixel), p=2, dim=1)
        class_logits = add_bias_towards_void(
            self.transformer_class_head(class_embeddings).permute(0, 2, 1))
        kernel = self.transformer_mask_head(mask_embeddings)
        mask_logits = torch.einsum('bchw,bcn->bnhw', pixel, kernel)
        mask_logits = self.pixel_space_mask_batch_norm(mask_logits.unsqueeze(1)).squeeze(1)
        return dict(class_logits=class_logits, mask_logits=mask_logits, pixel_feature=pixel)


class KMaXTransformerLayer(nn.Module):
    """One kMaX decoder layer on ``(B, C, N)`` cluster centres.

    Order (DeepLab2 ``KMaXTransformerLayer``): predict masks/classes from the current centres,
    update the centres by k-means cross-attention with those masks, then self-attention and
    the FFN. Returns the new centres and the prediction made at the start of the layer.
    """

    def __init__(self, num_classes: int, pixel_in_channels: int, query_channels: int = 256,
                 base_filters: int = 128, num_heads: int = 8, bottleneck_expansion: float = 2,
                 key_expansion: float = 1, value_expansion: float = 2, ffn_channels: int = 2048,
                 pixel_head_channels: int = 256, embed_channels: int = 128,
                 drop_path_rate: float = 0.0, norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        self.num_heads = num_heads
        bottleneck = int(round(base_filters * bottleneck_expansion))
        self.key_depth = int(round(base_filters * key_expansion))
        self.value_depth = int(round(base_filters * value_expansion))
        if self.key_depth % num_heads or self.value_depth % num_heads:
            raise ValueError(f'key depth {self.key_depth} and value depth {self.value_depth} must '
                             f'be divisible by num_heads={num_heads}')
        # DeepLab2 applies the same drop-path rate to the three residual updates.
        self.drop_path_kmeans = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        self.drop_path_attn = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        self.drop_path_ffn = DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity()
        std = bottleneck ** -0.5
        self.query_conv1_bn_act = ConvBN(query_channels, bottleneck, norm_cfg=norm_cfg,
                                         act_cfg=_GELU, conv_type='1d')
        self.pixel_conv1_bn_act = ConvBN(pixel_in_channels, bottleneck, norm_cfg=norm_cfg,
                                         act_cfg=_GELU)
        self.query_qkv_conv_bn = ConvBN(bottleneck, self.key_depth * 2 + self.value_depth,
                                        norm_cfg=norm_cfg, conv_type='1d')
        trunc_normal_tf_(self.query_qkv_conv_bn.conv.weight, std=std)
        self.pixel_v_conv_bn = ConvBN(bottleneck, self.value_depth, norm_cfg=norm_cfg)
        trunc_normal_tf_(self.pixel_v_conv_bn.conv.weight, std=std)
        self.query_self_attention = AttentionOperation(self.value_depth, num_heads, norm_cfg)
        self.query_conv3_bn = ConvBN(self.value_depth, query_channels, norm_cfg=norm_cfg,
                                     conv_type='1d', norm_init=0.0)
        self.query_ffn_conv1_bn_act = ConvBN(query_channels, ffn_channels, norm_cfg=norm_cfg,
                                             act_cfg=_GELU, conv_type='1d')
        self.query_ffn_conv2_bn = ConvBN(ffn_channels, query_channels, norm_cfg=norm_cfg,
                                         conv_type='1d', norm_init=0.0)
        self.predictor = KMaXPredictor(bottleneck, bottleneck, num_classes, pixel_head_channels,
                                       embed_channels, norm_cfg)
        self.kmeans_query_batch_norm_retrieved_value = build_kmax_norm(norm_cfg,
                                                                       self.value_depth, 1)
        self.kmeans_query_conv3_bn = ConvBN(self.value_depth, query_channels, norm_cfg=norm_cfg,
                                            conv_type='1d', norm_init=0.0)

    def forward(self, pixel_feature: torch.Tensor, query_feature: torch.Tensor
                ) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
        b, _, h, w = pixel_feature.shape
        n = query_feature.shape[-1]
        pixel_space = self.pixel_conv1_bn_act(F.gelu(pixel_feature))
        query_space = self.query_conv1_bn_act(query_feature)
        pixel_value = self.pixel_v_conv_bn(pixel_space).reshape(b, self.value_depth, h * w)
        prediction = self.predictor(query_space, query_space, pixel_space)

        update = kmeans_cross_attention(prediction['mask_logits'].flatten(2), pixel_value)
        update = self.kmeans_query_conv3_bn(self.kmeans_query_batch_norm_retrieved_value(update))
        query_feature = query_feature + self.drop_path_kmeans(update)

        q, k, v = torch.split(self.query_qkv_conv_bn(query_space),
                              [self.key_depth, self.key_depth, self.value_depth], dim=1)
        heads = self.num_heads
        attn = self.query_self_attention(q.reshape(b, heads, -1, n), k.reshape(b, heads, -1, n),
                                         v.reshape(b, heads, -1, n))
        query_feature = F.gelu(query_feature + self.drop_path_attn(self.query_conv3_bn(attn)))

        ffn = self.query_ffn_conv2_bn(self.query_ffn_conv1_bn_act(query_feature))
        query_feature = F.gelu(query_feature + self.drop_path_ffn(ffn))
        return query_feature, prediction


class KMaXTransformerDecoder(nn.Module):
    """Stacks of :class:`KMaXTransformerLayer` on the pixel-decoder outputs at strides 32, 16, 8,
    then a final predictor on the stride-4 panoptic feature.

    Args:
        num_classes: K, the number of classes (void is added).
        in_channels: channels of the stride 32, 16, 8 and 4 pixel features (official
            ``[2048, 1024, 512, 256]``).
        dec_layers: layers per stride 32/16/8 (official ``[2, 2, 2]``).
        num_queries: cluster centres (official 128 for COCO and ADE20K).
        query_channels, base_filters, num_heads, ffn_channels, pixel_head_channels,
        embed_channels: widths (official 256, 128, 8, 2048, 256, 128).
        drop_path_rate: per-layer drop path (official 0.2 on COCO, 0.0 on ADE20K).
        norm_cfg: batch-norm config.

    ``forward`` returns a list of predictions (dicts as from :class:`KMaXPredictor`), one per
    layer then the final one; the auxiliary ones are resized to the final mask size.
    """

    def __init__(self, num_classes: int, in_channels: Sequence[int],
                 dec_layers: Sequence[int] = (2, 2, 2), num_queries: int = 128,
                 query_channels: int = 256, base_filters: int = 128, num_heads: int = 8,
                 ffn_channels: int = 2048, pixel_head_channels: int = 256,
                 embed_channels: int = 128, drop_path_rate: float = 0.0,
                 norm_cfg: Optional[dict] = None) -> None:
        super().__init__()
        if len(in_channels) != len(dec_layers) + 1:
            raise ValueError(f'in_channels needs one entry per decoder stage plus the final '
                             f'feature ({len(dec_layers) + 1}), got {list(in_channels)}')
        self.dec_layers = list(dec_layers)
        layers = []
        for stage, num in enumerate(dec_layers):
            for _ in range(num):
                layers.append(KMaXTransformerLayer(
                    num_classes + 1, in_channels[stage], query_channels, base_filters, num_heads,
                    ffn_channels=ffn_channels, pixel_head_channels=pixel_head_channels,
                    embed_channels=embed_channels, drop_path_rate=drop_path_rate,
                    norm_cfg=norm_cfg))
        self.kmax_transformer_layers = nn.ModuleList(layers)
        # stored (C, N) like the official nn.Embedding so checkpoints load unchanged.
        self.cluster_centers = nn.Embedding(query_channels, num_queries)
        trunc_normal_tf_(self.cluster_centers.weight, std=1.0)
        self.class_embedding_projection = ConvBN(query_channels, query_channels, norm_cfg=norm_cfg,
                                                 act_cfg=_GELU, conv_type='1d')
        self.mask_embedding_projection = ConvBN(query_channels, query_channels, norm_cfg=norm_cfg,
                                                act_cfg=_GELU, conv_type='1d')
        self.predictor = KMaXPredictor(in_channels[-1], query_channels, num_classes + 1,
                                       pixel_head_channels, embed_channels, norm_cfg)

    def forward(self, multi_scale_features: Sequence[torch.Tensor],
                panoptic_feature: torch.Tensor) -> List[Dict[str, torch.Tensor]]:
        batch = panoptic_feature.shape[0]
        centers = self.cluster_centers.weight.unsqueeze(0).expand(batch, -1, -1)
        predictions = []
        layer_iter = iter(self.kmax_transformer_layers)
        for feat, num in zip(multi_scale_features, self.dec_layers):
            for _ in range(num):
                centers, prediction = next(layer_iter)(feat, centers)
                predictions.append(prediction)
        final = self.predictor(self.mask_embedding_projection(centers),
                               self.class_embedding_projection(centers), panoptic_feature)
        size = final['mask_logits'].shape[-2:]
        for p in predictions:
            p['mask_logits'] = tf_resize(p['mask_logits'], size)
            p['pixel_feature'] = tf_resize(p['pixel_feature'], size)
        return predictions + [final]
