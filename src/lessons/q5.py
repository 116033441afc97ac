#Q.5 How can we create a pool of worker processes in python using the multiprocessing module?

import multiprocessing

def compute_square(number):
    """Function to compute the square of a number."""
    return number ** 2

def main():
    numbers = [1, 2, 3, 4, 5]

    # Create a pool of worker processes
    with multiprocessing.Pool(processes=4) as pool:
        # Distribute the task of computing squares across the pool
        squares = pool.map(compute_square, numbers)

    # Print the results
    print(f"Squares: {squares}")

if __name__ == "__main__":
    main()
