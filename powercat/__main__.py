from .cli import run

# guarded: a worker process started by "spawn" imports the main module again, and must not
# run the command a second time
if __name__ == "__main__":
    run()
