# Leaderboard suite, panoptic row: mmdet's Mask2Former on ResNet-50 at base width 16, narrowed
# as the kMaX rows: 64-channel pixel decoder (2 deformable encoder layers) and queries, 32
# queries, 3 transformer-decoder layers, masks supervised at 1024 points.
_base_ = ['mmdet::mask2former/mask2former_r50_8xb2-lsj-50e_coco-panoptic.py',
          '../_base_/datasets/shapes_coco_panoptic.py', './_base_/task_panoptic.py']
paper_config = None  # mmdet's mask2former_r50_8xb2-lsj-50e_coco-panoptic: PQ 51.9
ch = 64
layer = dict(embed_dims=ch, num_heads=4, dropout=0.0, batch_first=True)
ffn = dict(embed_dims=ch, feedforward_channels=4 * ch, num_fcs=2, ffn_drop=0.0,
           act_cfg=dict(type='ReLU', inplace=True))
things, stuff = 5, 3  # the shapes classes (_base_/datasets/shapes_coco_panoptic.py)
model = dict(
    data_preprocessor=dict(pad_size_divisor=128, batch_augments=[
        dict(type='BatchFixedSizePad', size=(128, 128), img_pad_value=0, pad_mask=True,
             mask_pad_value=0, pad_seg=True, seg_pad_value=255)]),
    backbone=dict(norm_cfg=dict(type='BN', requires_grad=True), norm_eval=False,
                  base_channels=16, init_cfg=None),
    panoptic_head=dict(
        in_channels=[64, 128, 256, 512], feat_channels=ch, out_channels=ch, num_queries=32,
        num_things_classes=things, num_stuff_classes=stuff,
        loss_cls=dict(class_weight=[1.0] * (things + stuff) + [0.1]),
        pixel_decoder=dict(
            encoder=dict(num_layers=2, layer_cfg=dict(self_attn_cfg=dict(embed_dims=ch,
                                                                         num_heads=4),
                                                      ffn_cfg=ffn)),
            positional_encoding=dict(num_feats=ch // 2)),
        positional_encoding=dict(num_feats=ch // 2),
        transformer_decoder=dict(num_layers=3, layer_cfg=dict(self_attn_cfg=layer,
                                                              cross_attn_cfg=layer,
                                                              ffn_cfg=dict(ffn)))),
    panoptic_fusion_head=dict(num_things_classes=things, num_stuff_classes=stuff),
    train_cfg=dict(num_points=1024),
    test_cfg=dict(max_per_image=32))
train_dataloader = dict(batch_size={{_base_.suite_batch_size}},
                        dataset={{_base_.shapes_train_dataloader.dataset}})
val_dataloader = {{_base_.shapes_val_dataloader}}
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='CocoPanopticMetric',
                     ann_file='data/shapes/coco/annotations/panoptic_val2017.json',
                     seg_prefix='data/shapes/coco/annotations/panoptic_val2017/')
test_evaluator = val_evaluator
train_cfg = {{_base_.suite_train_cfg}}
optim_wrapper = {{_base_.suite_optim_wrapper}}
param_scheduler = {{_base_.suite_param_scheduler}}
default_hooks = {{_base_.suite_default_hooks}}
log_processor = {{_base_.suite_log_processor}}
custom_imports = {{_base_.suite_custom_imports}}
