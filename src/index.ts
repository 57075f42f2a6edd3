import './util/zod-setup.js'
import { run } from './main.js'

void run()
