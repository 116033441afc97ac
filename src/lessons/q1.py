#Q.1 What is multiprocessing in python? Why is it useful?
import multiprocessing
import time

def compute_square(number):
    print(f"Computing square of {number}")
    time.sleep(2)  # Simulate a time-consuming task
    return number ** 2

def compute_cube(number):
    print(f"Computing cube of {number}")
    time.sleep(2)  # Simulate a time-consuming task
    return number ** 3

def main():
    numbers = [1, 2, 3, 4, 5]

    # Create a pool of workers
    with multiprocessing.Pool(processes=2) as pool:
        # Map tasks to the pool
        squares = pool.map(compute_square, numbers)
        cubes = pool.map(compute_cube, numbers)

    print(f"Squares: {squares}")
    print(f"Cubes: {cubes}")

if __name__ == "__main__":
    main()
