"""What the checker, the input reader and the runtime share: values and their operators, the
function library (signatures and implementations), instants, and the events a run replays."""
