#Q.6 Write a python program to create 4 processes, each process should print a different number using the
# multiprocessing module in python.

import multiprocessing

def print_number(number):
    """Function to print a number."""
    print(f"Process printing number: {number}")

def main():
    # List of numbers to be printed by different processes
    numbers = [1, 2, 3, 4]

    # Create a list to hold the process objects
    processes = []

    # Create and start a process for each number
    for number in numbers:
        process = multiprocessing.Process(target=print_number, args=(number,))
        processes.append(process)
        process.start()

    # Wait for all processes to complete
    for process in processes:
        process.join()

    print("All processes have finished execution")

if __name__ == "__main__":
    main()
