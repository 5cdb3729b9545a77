// Every test here runs a whole node paced in real time; two at once on a 2-core machine would
// measure the scheduler, not the node. They run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
