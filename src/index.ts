import './util/zod.js'
import { run } from './main.js'

void run()
