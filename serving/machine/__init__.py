"""Facts about the machine this process runs on, read from the kernel: its cgroups, the
CPUs and GPUs it may use, the memory it may take. The floor under the config: it imports
nothing else of the runtime."""
