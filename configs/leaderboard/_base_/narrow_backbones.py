# The suite's narrow backbones that serve more than one task, the arch written as data: stages
# of 32-64-128-256 channels with 1-1-2-1 blocks (HorNet: gnConv orders 2-3-4-5; GF: global
# filters in stages 3-4 sized for the 8x8 and 4x4 maps of a 128 px image; RMT: the tiny
# model's decay ranges, decomposed attention in stages 1-2). A row takes one with
# `backbone={{_base_.suite_rmt}}` (they replace the inherited backbone: _delete_).
suite_hornet_7x7 = dict(
    _delete_=True, type='mmplugins.HorNet', drop_path_rate=0.1,
    arch=dict(embed_dims=32, depths=(1, 1, 2, 1), orders=(2, 3, 4, 5),
              mixers=[dict(type='dw', kernel_size=7)] * 4))
suite_hornet_gf = dict(
    _delete_=True, type='mmplugins.HorNet', drop_path_rate=0.1,
    arch=dict(embed_dims=32, depths=(1, 1, 2, 1), orders=(2, 3, 4, 5),
              mixers=[dict(type='dw', kernel_size=7)] * 2 + [dict(type='gf', h=8, w=5),
                                                           dict(type='gf', h=4, w=3)]))
suite_rmt = dict(
    _delete_=True, type='mmplugins.RMT', drop_path_rate=0.1,
    arch=dict(embed_dims=(32, 64, 128, 256), depths=(1, 1, 2, 1), num_heads=(2, 2, 4, 8),
              init_values=(2, 2, 2, 2), heads_ranges=(4, 4, 6, 6), mlp_ratios=(3, 3, 3, 3),
              decomposed=(True, True, False, False)))
