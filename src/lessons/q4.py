#Q.4 What is a multiprocessing pool in python? Why is it used?

import multiprocessing

def compute_square(number):
    return number ** 2

def compute_cube(number):
    return number ** 3

def main():
    numbers = [1, 2, 3, 4, 5]

    # Create a pool of worker processes
    with multiprocessing.Pool(processes=4) as pool:
        # Map the function to the numbers list and get the results
        squares = pool.map(compute_square, numbers)
        cubes = pool.map(compute_cube, numbers)

    print(f"Squares: {squares}")
    print(f"Cubes: {cubes}")

if __name__ == "__main__":
    main()
