# The narrow kMaX-DeepLab head of the suite's kMaX rows (panoptic and semantic): 32 queries, one
# block per pixel-decoder stage (channels 128-64-32-16 from stride 32 to 4), one k-means
# cross-attention layer per transformer-decoder stage (64-channel queries); everything else as
# the released R-50 model. in_channels: the narrow ResNet-50 below.
suite_kmax_head = dict(
    in_channels=[64, 128, 256, 512],
    num_queries=32,
    pixel_decoder=dict(dec_layers=[1, 1, 1, 1], dec_channels=[128, 64, 32, 16], num_heads=2),
    transformer_decoder=dict(dec_layers=[1, 1, 1], query_channels=64, base_filters=32,
                             num_heads=2, ffn_channels=128, pixel_head_channels=32,
                             embed_channels=32),
    aux_semantic=dict(channels=32))
#: mmdet's/mmseg's ResNet-50 at base width 16 (stages of 64-128-256-512 channels)
suite_r50_narrow = dict(depth=50, base_channels=16, init_cfg=None)
