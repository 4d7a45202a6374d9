# The three box heads of cascade-mask-rcnn_fpn.py (4conv1fc, GIoU) for the 5 classes of the
# shapes data. A shapes variant assigns them with `bbox_head={{_base_.shapes_cascade_bbox_heads}}`
# (a list cannot be merged key by key, so the heads are restated with the new class count).


def _stage(stds):
    return dict(
        type='ConvFCBBoxHead', num_shared_convs=4, num_shared_fcs=1, in_channels=256,
        conv_out_channels=256, fc_out_channels=1024, roi_feat_size=7, num_classes=5,
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                        target_stds=stds),
        reg_class_agnostic=False, reg_decoded_bbox=True,
        norm_cfg=dict(type='SyncBN', requires_grad=True),
        loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=10.0))


shapes_cascade_bbox_heads = [
    _stage([0.1, 0.1, 0.2, 0.2]), _stage([0.05, 0.05, 0.1, 0.1]),
    _stage([0.033, 0.033, 0.067, 0.067])
]
# their spiking counterparts (see spike_cascade_bbox_heads in cascade-mask-rcnn_fpn.py)
shapes_spike_cascade_bbox_heads = [dict(h, type='mmplugins.SpikeConvFCBBoxHead')
                                   for h in shapes_cascade_bbox_heads]
