from validator.cli import main

# Guarded: worker processes (--jobs, --engine dask) re-import the main module.
if __name__ == "__main__":
    main()
