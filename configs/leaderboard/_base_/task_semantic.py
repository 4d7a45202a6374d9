# Semantic segmentation: the suite's schedule with 4 crops per batch (250 iterations = 2.5
# epochs of the 400 shapes training images).
_base_ = './suite_schedule.py'
suite_task = 'semantic'
suite_batch_size = 4
